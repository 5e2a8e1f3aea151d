"""Forms of the KPI pages: a KPI's definition, a period's result, a correction, a rating override."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils import timezone

from accounts.models import User
from contracts.documents import ALLOWED_EXTENSIONS_TEXT, BY_EXTENSION, validate_document
from core.formatting import long_date
from core.forms import DateInput, RegisterDatesMixin
from performance.models import ImprovementPlan, Kpi
from performance.ratings import Rating


def evidence_help() -> str:
    megabytes = settings.DOCUMENT_MAX_UPLOAD_BYTES / (1024 * 1024)
    return f"{ALLOWED_EXTENSIONS_TEXT}, up to {megabytes:g} MB"


class EvidenceField(forms.FileField):
    """An optional evidence file, checked by type, content and size like contract documents."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Evidence")
        kwargs.setdefault("help_text", f"Optional. {evidence_help()}.")
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ",".join(BY_EXTENSION)}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "size"):
            validate_document(upload)
        return upload


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (elsewhere above the form)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error("evidence" if "evidence" in form.fields else None, error.messages)


class KpiForm(RegisterDatesMixin, forms.ModelForm):
    class Meta:
        model = Kpi
        fields = list(Kpi.DEFINITION)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }
        help_texts = {
            "target": "For a percentage, 0 to 100. For yes/no, 1 for yes.",
            "is_active": "Untick when the KPI is no longer measured: no more results are asked for.",
        }

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        self.instance.contract = contract
        if not self.instance.pk and not self.initial.get("start_date"):
            self.initial["start_date"] = contract.start_date
        # The database refuses a negative tolerance too; here it is said next to the field.
        self.fields["tolerance"].validators.append(MinValueValidator(0))
        self.fields["tolerance"].widget.attrs["min"] = 0
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                "What is measured",
                Row(Column("name", css_class="col-md-8"), Column("kind", css_class="col-md-4")),
                "description",
            ),
            Fieldset(
                "Target and rating",
                Row(Column("unit"), Column("direction")),
                Row(Column("target"), Column("tolerance"), Column("inadequate_threshold")),
            ),
            Fieldset(
                "Reporting periods",
                Row(Column("frequency"), Column("start_date"), Column("end_date")),
            ),
            Fieldset("Publication", "is_published", "is_active"),
        )

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # a form's clean() returns its cleaned_data
        start = cleaned.get("start_date")
        if start and start < self.contract.start_date:
            starts = long_date(self.contract.start_date)
            self.add_error("start_date", f"The first period cannot start before the contract does ({starts}).")
        moved = {"start_date", "frequency"} & set(self.changed_data)
        if self.instance.pk and moved and self.instance.results.exists():
            # The recorded results belong to the old periods; moving the periods would orphan them.
            for name in sorted(moved):
                self.add_error(
                    name,
                    "Results are recorded against this KPI's periods, so they cannot move. "
                    "Set an end date here and define a new KPI instead.",
                )
        return cleaned


class _ResultFields(forms.Form):
    actual = forms.DecimalField(
        label="Result",
        max_digits=14,
        decimal_places=2,
        error_messages={"required": "Enter the result.", "invalid": "Enter a number, for example 97.5."},
    )
    commentary = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}), label="Commentary"
    )
    evidence = EvidenceField()


class ResultForm(RegisterDatesMixin, _ResultFields):
    """A period's result, from the inline form of a due period."""

    period_start = forms.DateField(widget=forms.HiddenInput, error_messages={"invalid": "That is not a date."})


class CorrectionForm(_ResultFields):
    """A correction of a result already recorded: the same period, a new value; history keeps the old."""

    def __init__(self, *args, result, **kwargs):
        kwargs.setdefault("auto_id", f"correct-{result.pk}-%s")
        kwargs.setdefault("initial", {"actual": result.actual, "commentary": result.commentary})
        super().__init__(*args, **kwargs)
        self.fields["actual"].label = "Corrected result"
        if result.evidence_name:
            self.fields["evidence"].label = "Replace the evidence"
            self.fields["evidence"].help_text = f"Leave empty to keep {result.evidence_name}. " + str(
                self.fields["evidence"].help_text
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class OverrideForm(forms.Form):
    """The OCO's own rating of a result, with the reason, in place of the calculated one."""

    rating_override = forms.ChoiceField(label="Rating", required=False)
    override_reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when you choose a rating: why it differs from the calculated one.",
    )

    def __init__(self, *args, result, **kwargs):
        kwargs.setdefault("auto_id", f"override-{result.pk}-%s")
        kwargs.setdefault(
            "initial", {"rating_override": result.rating_override, "override_reason": result.override_reason}
        )
        super().__init__(*args, **kwargs)
        rating_override_field = self.fields["rating_override"]
        assert isinstance(rating_override_field, forms.ChoiceField)
        rating_override_field.choices = [
            ("", f"As calculated: {result.get_rating_display()}"),
            *Rating.choices,
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ImprovementPlanForm(RegisterDatesMixin, forms.ModelForm):
    """What the supplier must improve on a KPI, by when, who follows it up, when it is reviewed."""

    class Meta:
        model = ImprovementPlan
        fields = ["must_improve", "improve_by", "owner", "review_on"]
        widgets = {
            "must_improve": forms.Textarea(attrs={"rows": 4}),
            "improve_by": DateInput(),
            "review_on": DateInput(),
        }
        help_texts = {
            "must_improve": "What the supplier must achieve, as agreed with them: the standard and how it is measured.",
            "improve_by": "The date by which the KPI must be back to standard.",
            "review_on": "When you will review progress with the supplier.",
        }

    def __init__(self, *args, result, **kwargs):
        super().__init__(*args, **kwargs)
        kpi = result.kpi
        self.instance.contract, self.instance.kpi, self.instance.result = kpi.contract, kpi, result
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ModelChoiceField)
        owner_field.queryset = User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")
        owner_field.help_text = "Who follows it up with the supplier."
        if not self.is_bound:
            self.initial.setdefault("owner", kpi.contract.oco_id)
            self.initial.setdefault(
                "must_improve", f"{kpi.name} back to its target of {kpi.target} ({kpi.get_unit_display().lower()})."
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout("must_improve", Row(Column("improve_by"), Column("review_on"), Column("owner")))

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # a form's clean() returns its cleaned_data
        today = timezone.localdate()
        for name in ("improve_by", "review_on"):
            if cleaned.get(name) and cleaned[name] < today:
                self.add_error(name, "This date has passed: a plan looks forward.")
        return cleaned


class ImprovementPlanStatusForm(forms.ModelForm):
    class Meta:
        model = ImprovementPlan
        fields = ["status", "review_on"]
        widgets = {"review_on": DateInput()}
