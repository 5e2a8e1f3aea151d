from crispy_forms.bootstrap import PrependedText
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms

from accounts.models import User
from contracts.documents import ALLOWED_EXTENSIONS_TEXT, BY_EXTENSION, validate_document
from contracts.models import Contract, ContractDocument


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ContractForm(forms.ModelForm):
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
            "procurement_route",
            "start_date",
            "end_date",
            "extended_end_date",
            "notice_period_days",
            "total_value",
            "annual_value",
            "cost_centre",
            "finance_reference",
            "oco",
            "sro",
            "operational_notes",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "extended_end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "operational_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oco"].queryset = User.objects.ocos()
        self.fields["sro"].queryset = User.objects.sros()
        if self.instance.pk and self.instance.variations.exists():
            # After a variation, the value and end date follow from the variations.
            for name in ("total_value", "end_date"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Changed by recording a variation."
        self.fields["supplier"].queryset = self.fields["supplier"].queryset.order_by("name")
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # errors from the server, listed and linked above the form
        self.helper.layout = Layout(
            Fieldset(
                "The contract",
                Row(Column("reference", css_class="col-md-4"), Column("title", css_class="col-md-8")),
                "description",
                Row(Column("supplier"), Column("category")),
                Row(Column("status"), Column("nature"), Column("procurement_route")),
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


class ContractOperationalForm(forms.ModelForm):
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
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("save", "Save changes"))


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=ContractDocument.Kind.choices)
    file = forms.FileField(
        help_text=f"{ALLOWED_EXTENSIONS_TEXT}, up to 25 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(BY_EXTENSION)}),
    )
    description = forms.CharField(max_length=255, required=False)

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
        fields = {}
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
