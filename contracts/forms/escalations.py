"""Forms for escalations and for supplier information that needs escalation."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone

from accounts import roles
from accounts.models import User
from contracts.documents import ALLOWED_EXTENSIONS_TEXT, BY_EXTENSION, validate_document
from contracts.models import Contract, Escalation
from core.forms import DateInput, RegisterDatesMixin
from suppliers.models import Supplier, SupplierInformation

Category = SupplierInformation.Category


def _category_choices() -> list:
    """The categories grouped under their kind, so the list itself says which is which."""
    labels = dict(Category.choices)
    return [
        ("", "---------"),
        ("Financial", [(c.value, labels[c.value]) for c in SupplierInformation.FINANCIAL_CATEGORIES]),
        ("Reputational", [(c.value, labels[c.value]) for c in SupplierInformation.REPUTATIONAL_CATEGORIES]),
        ("Either", [(Category.OTHER.value, labels[Category.OTHER.value])]),
    ]


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class SupplierInformationForm(RegisterDatesMixin, forms.ModelForm):
    """Financial or reputational information about a supplier; the model checks kind against category."""

    class Meta:
        model = SupplierInformation
        fields = ["kind", "category", "severity", "occurred_on", "source", "summary", "details"]
        labels = {"occurred_on": "Date", "summary": "What happened"}
        help_texts = {
            "occurred_on": "When it happened or was published.",
            "summary": "One line, for example “Profit warning: full-year profit expected to halve”.",
            "details": "Optional. What it means for the force's contracts, if known.",
        }
        widgets = {"occurred_on": DateInput(), "details": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, supplier: Supplier, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.supplier = supplier
        self.fields["kind"].widget = forms.RadioSelect(choices=SupplierInformation.Kind.choices)
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ChoiceField)
        category_field.choices = _category_choices()
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(Column("kind", css_class="col-md-4"), Column("category"), Column("severity")),
            Row(Column("occurred_on", css_class="col-md-4"), Column("source", css_class="col-md-8")),
            "summary",
            "details",
        )

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Information is recorded once it is known: the date is in the future.")
        return day


class EscalationRaiseForm(forms.ModelForm):
    class Meta:
        model = Escalation
        fields = ["source", "severity", "title", "details"]
        labels = {"title": "What is escalated", "details": "Details"}
        help_texts = {
            "title": "One line, for example “Weekend response times missed for three months”.",
            "details": "What happened, what has been tried, and what you need from the Procurement Unit.",
        }
        widgets = {"details": forms.Textarea(attrs={"rows": 6})}

    # What a link may fill in (a poor KPI result's "Raise an escalation" names its KPI and period).
    PREFILLED = ("source", "severity", "title", "details")

    def __init__(self, *args, contract: Contract, prefill=None, **kwargs):
        if prefill:
            kwargs.setdefault("initial", {k: prefill[k][:5000] for k in self.PREFILLED if prefill.get(k)})
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        self.fields["details"].required = True
        self.helper = _helper()
        self.helper.layout = Layout(Row(Column("source"), Column("severity")), "title", "details")


class EscalationManageForm(forms.ModelForm):
    """The Procurement Unit's form: status, severity, owner, actions and resolution."""

    CLOSING = (Escalation.Status.RESOLVED, Escalation.Status.CLOSED)

    class Meta:
        model = Escalation
        fields = ["status", "severity", "owner", "actions", "resolution"]
        help_texts = {"resolution": "Required to resolve or close the escalation: how it ended."}
        widgets = {"actions": forms.Textarea(attrs={"rows": 4}), "resolution": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ModelChoiceField)
        owner_field.queryset = User.objects.in_role(roles.PROCUREMENT)
        owner_field.empty_label = "Nobody yet"
        self.fields["owner"].help_text = "The Procurement Unit officer handling it."
        self.helper = _helper()
        self.helper.layout = Layout(Row(Column("status"), Column("severity"), Column("owner")), "actions", "resolution")

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # a form's clean() returns its cleaned_data
        if cleaned.get("status") in self.CLOSING and not (cleaned.get("resolution") or "").strip():
            status = dict(Escalation.Status.choices)[cleaned["status"]].lower()
            self.add_error("resolution", f"Say how it was resolved before marking it {status}.")
        return cleaned


class EscalationPostForm(forms.Form):
    """A post in the thread: the text, an optional attachment and, for the Procurement Unit, a new status."""

    text = forms.CharField(
        label="Your update",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the update or comment."},
    )
    attachment = forms.FileField(
        label="Attachment",
        required=False,
        help_text=f"Optional. {ALLOWED_EXTENSIONS_TEXT}.",
        widget=forms.FileInput(attrs={"accept": ",".join(BY_EXTENSION)}),
    )
    status = forms.ChoiceField(label="Status", required=False)

    def __init__(self, *args, escalation: Escalation, can_change_status: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.escalation = escalation
        status_field = self.fields["status"]
        assert isinstance(status_field, forms.ChoiceField)
        status_field.choices = [("", f"Leave it {escalation.get_status_display().lower()}"), *Escalation.Status.choices]
        if not can_change_status:
            # Shown only to the Procurement Unit; a status posted by anyone else is refused (403).
            status_field.widget = forms.HiddenInput()

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            validate_document(upload)
        return upload

    def clean_status(self):
        status = self.cleaned_data.get("status") or ""
        return "" if status == self.escalation.status else status
