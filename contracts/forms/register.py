from typing import TYPE_CHECKING

from crispy_forms.bootstrap import PrependedText
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from accounts.models import User
from contracts.documents import ALLOWED_EXTENSIONS_TEXT, BY_EXTENSION, validate_document
from contracts.forms.supplier_field import SupplierChoiceField
from contracts.models import Contract, ContractDocument
from contracts.models.regime import Regime
from core.forms import DateInput, RegisterDatesMixin

# The mixins below are only ever mixed into forms (model forms, for the version): mypy is told
# so, and nothing changes at run time.
if TYPE_CHECKING:
    _ModelFormBase = forms.ModelForm
else:
    _ModelFormBase = object


class ContractVersionMixin(_ModelFormBase):
    """The edit forms carry the contract's version as it was when the form was loaded; the save is
    refused if someone else has saved the contract since (services.contract_save)."""

    def _version_field(self) -> None:
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
        if self.instance.pk is not None:
            self.initial.setdefault("version", self.instance.version)

    def show_current_version(self, version: int) -> None:
        """After a refusal: the user's input stays, and saving again saves over the current version."""
        # A bound form's data is a QueryDict, which copies mutable.
        data = self.data.copy()  # type: ignore[attr-defined]  # the stubs type data as a read-only Mapping
        data[self.add_prefix("version")] = str(version)
        self.data = data


class ContractForm(ContractVersionMixin, RegisterDatesMixin, forms.ModelForm):
    """Every field of a contract: the Procurement Unit's form."""

    class Meta:
        model = Contract
        fields = [
            "reference",
            "title",
            "description",
            "supplier",
            "category",
            "status",
            "nature",
            "cpv_code",
            "procurement_route",
            "regime",
            "procurement_started_on",
            "agreement",
            "light_touch",
            "regulated_by_welsh_ministers",
            "kpis_not_appropriate_reason",
            "find_a_tender_ocid",
            *Contract.TERMS_AND_OWNERS,
            "operational_notes",
        ]
        field_classes = {"supplier": SupplierChoiceField}
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "extended_end_date": DateInput(),
            "procurement_started_on": DateInput(),
            "kpis_not_appropriate_reason": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "operational_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        oco_field = self.fields["oco"]
        assert isinstance(oco_field, forms.ModelChoiceField)
        oco_field.queryset = User.objects.ocos()
        sro_field = self.fields["sro"]
        assert isinstance(sro_field, forms.ModelChoiceField)
        sro_field.queryset = User.objects.sros()
        regime_field = self.fields["regime"]
        assert isinstance(regime_field, forms.ChoiceField)
        follows = "Follow from the dates"
        if self.instance.pk is not None and not self.instance.regime:
            follows += f" (now: {self.instance.regime_label})"
        regime_field.choices = [("", follows), *Regime.choices]
        if self.instance.pk and self.instance.variations.exists():
            # After a variation, the value and end date follow from the variations.
            for name in ("total_value", "end_date"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Changed by recording a variation."
        self._version_field()
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # errors from the server, listed and linked above the form
        self.helper.layout = Layout(
            "version",
            Fieldset(
                "The contract",
                Row(Column("reference", css_class="col-md-4"), Column("title", css_class="col-md-8")),
                "description",
                Row(Column("supplier"), Column("category")),
                Row(Column("status"), Column("nature"), Column("procurement_route")),
            ),
            Fieldset(
                "Procurement law",
                Row(Column("regime"), Column("procurement_started_on")),
                Row(Column("agreement"), Column("light_touch"), Column("regulated_by_welsh_ministers")),
                "kpis_not_appropriate_reason",
                "find_a_tender_ocid",
            ),
            Fieldset(
                "Dates",
                Row(Column("start_date"), Column("end_date"), Column("extended_end_date")),
                Row(Column("notice_period_days", css_class="col-md-4")),
            ),
            Fieldset(
                "Value and finance",
                Row(Column(PrependedText("total_value", "£")), Column(PrependedText("annual_value", "£"))),
                Row(Column("cost_centre"), Column("finance_reference")),
            ),
            Fieldset("Owners", Row(Column("oco"), Column("sro"))),
            Fieldset("Operational notes", "operational_notes"),
            Submit("save", "Save contract"),
        )


class ContractOperationalForm(ContractVersionMixin, forms.ModelForm):
    """The fields an OCO keeps up to date on their own contracts."""

    class Meta:
        model = Contract
        fields = list(Contract.OPERATIONAL_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "operational_notes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._version_field()
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("save", "Save changes"))

    def _update_errors(self, errors):
        # Contract.clean() checks the whole contract. A fault in a field this form does not hold (an owner
        # who lost the role, a date from before the register's range) is the Procurement Unit's to put
        # right: it neither refuses the OCO's notes nor fails the page (Django raises ValueError for it).
        if hasattr(errors, "error_dict"):
            mine = {name: e for name, e in errors.error_dict.items() if name in self.fields or name == NON_FIELD_ERRORS}
            if not mine:
                return
            errors = ValidationError(mine)
        super()._update_errors(errors)  # type: ignore[misc]  # the stubs omit BaseModelForm._update_errors


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=ContractDocument.Kind.choices)
    file = forms.FileField(
        help_text=f"{ALLOWED_EXTENSIONS_TEXT}, up to 25 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(BY_EXTENSION)}),
    )
    description = forms.CharField(max_length=255, required=False)
    shared_with_supplier = forms.BooleanField(
        label="Share with the supplier",
        required=False,
        help_text="The supplier's people see and download it on the supplier portal.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_document(upload)
        return upload


SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class KraljicAssessmentForm(forms.Form):
    """A 1-to-5 score for each active criterion, and the reason."""

    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why these scores: what you know of the market, the service and the risks.",
    )

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        initial_scores = initial_scores or {}
        fields: dict[str, forms.Field] = {}
        for criterion in self.criteria:
            fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                help_text=criterion.description,
                initial=initial_scores.get(criterion.pk),
            )
        # Scores first, the rationale last.
        fields["rationale"] = self.fields.pop("rationale")
        self.fields = fields

    def axis_fields(self, axis: str):
        return [self[f"score_{c.pk}"] for c in self.criteria if c.axis == axis]

    @property
    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}
