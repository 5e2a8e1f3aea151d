"""Forms for a contract's lifecycle: variations, extension options and renewal decisions, its end,
savings, training records and handover. The models' clean() methods hold the rules; these forms
put each message next to its field."""

from crispy_forms.bootstrap import PrependedText
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone

from accounts import roles
from accounts.models import TrainingRecord, User
from contracts.models import Contract, ContractEnding, ExtensionOption, RenewalDecision, Saving, Variation
from contracts.services.lifecycle import HANDOVER_REASON_LIMIT, handover_history_reason
from core.formatting import long_date
from core.forms import DateInput, RegisterDatesMixin


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def add_model_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a model's or a service's ValidationError next to the fields it names; the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, errors)


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        label = str(user)
        if user.job_title:
            label += f", {user.job_title}"
        if not user.is_active:
            label += " (deactivated)"
        return label


# --- Variations --------------------------------------------------------------------------------


class _DocumentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, document):
        current = "" if document.is_current else " (earlier version)"
        return f"{document.get_kind_display()} v{document.version}: {document.original_name}{current}"


class _VariationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, variation):
        state = f"agreed {long_date(variation.agreed_on)}" if variation.agreed_on else "proposed"
        return f"Variation {variation.number} ({state}): {variation.description[:80]}"


class VariationForm(RegisterDatesMixin, forms.ModelForm):
    """The Procurement Unit records a proposed variation; Variation.clean() checks its dates."""

    class Meta:
        model = Variation
        fields = [
            "description",
            "reason",
            "value_change",
            "new_end_date",
            "made_with",
            "documents",
            "approved_by",
        ]
        labels = {"description": "What changes", "reason": "Why", "approved_by": "Approved by"}
        help_texts = {
            "description": "For example “Twelve more vehicles added to the lease fleet”.",
            "reason": "Why the change is needed and why it is allowed under the contract.",
            "approved_by": "Who authorised the change (for example the SRO or budget holder).",
        }
        widgets = {
            "new_end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"made_with": _VariationChoiceField, "documents": _DocumentChoiceField}

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        # The widget first: setting the queryset gives the widget its choices.
        made_with = self.fields["made_with"]
        assert isinstance(made_with, forms.ModelMultipleChoiceField)
        made_with.widget = forms.CheckboxSelectMultiple()
        made_with.queryset = contract.variations.order_by("number")
        made_with.help_text = (
            "Tick the earlier variations that could reasonably have been made together with this one: "
            "their changes count together for the change notice rule."
        )
        documents = self.fields["documents"]
        assert isinstance(documents, forms.ModelMultipleChoiceField)
        documents.widget = forms.CheckboxSelectMultiple()
        documents.queryset = contract.documents.order_by("kind", "-version")
        documents.help_text = (
            "The signed variation and any other documents it changes. Upload them on the contract page."
        )
        self.fields["approved_by"] = _UserChoiceField(
            queryset=User.objects.filter(is_active=True),
            label="Approved by",
            help_text=self.fields["approved_by"].help_text,
        )
        self.fields["value_change"].label = "Change in value"
        self.fields["new_end_date"].label = "New end date"
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(
                Column(PrependedText("value_change", "£"), css_class="col-md-6"),
                Column("new_end_date", css_class="col-md-6"),
            ),
            "description",
            "reason",
            "made_with",
            "documents",
            Row(Column("approved_by", css_class="col-md-6")),
        )


class VariationAgreeForm(RegisterDatesMixin, forms.Form):
    """Mark a proposed variation agreed; where a change notice is required and not recorded as
    published, the form asks why none is needed (the service refuses it otherwise)."""

    agreed_on = forms.DateField(label="Date agreed", widget=DateInput())
    change_notice_exemption = forms.CharField(
        label="No change notice, because",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only when the modification may lawfully be made without a contract change notice: "
        "otherwise publish the notice first and record the day it was published.",
    )

    def __init__(self, *args, variation: Variation, **kwargs):
        super().__init__(*args, **kwargs)
        self.variation = variation
        self.initial.setdefault("agreed_on", timezone.localdate())
        if variation.notice_answered:
            del self.fields["change_notice_exemption"]
        self.helper = _helper()

    def clean_agreed_on(self):
        day = self.cleaned_data["agreed_on"]
        if day > timezone.localdate():
            raise ValidationError("Mark the variation agreed once it is: the date is in the future.")
        return day


class PublishedOnForm(RegisterDatesMixin, forms.Form):
    """The day a notice (contract change or termination) was published."""

    published_on = forms.DateField(label="Published on", widget=DateInput())

    def __init__(self, *args, earliest, earliest_text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.earliest, self.earliest_text = earliest, earliest_text
        self.initial.setdefault("published_on", timezone.localdate())
        self.helper = _helper()  # the page's own <form> holds it

    def clean_published_on(self):
        day = self.cleaned_data["published_on"]
        if day > timezone.localdate():
            raise ValidationError("Record the notice once it is published: the date is in the future.")
        if day < self.earliest:
            raise ValidationError(f"The notice cannot be published before {self.earliest_text}.")
        return day


# --- Renewals ----------------------------------------------------------------------------------


class ExtensionOptionForm(RegisterDatesMixin, forms.ModelForm):
    """ExtensionOption.clean() refuses an option that runs past the latest date the contract allows."""

    class Meta:
        model = ExtensionOption
        fields = ["length_months", "decide_by", "decision", "notes"]
        help_texts = {
            "length_months": "How long the extension runs if it is taken up.",
            "decide_by": "The last day to decide, by the contract's terms (before the contract ends).",
        }
        widgets = {"decide_by": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(Column("length_months"), Column("decide_by"), Column("decision")),
            "notes",
        )


class RenewalDecisionForm(forms.ModelForm):
    class Meta:
        model = RenewalDecision
        fields = ["decision", "notes"]
        help_texts = {"notes": "Why: performance, the market, the budget, what happens next."}
        widgets = {
            "decision": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        decision_field = self.fields["decision"]
        assert isinstance(decision_field, forms.ChoiceField)
        decision_field.choices = RenewalDecision.Decision.choices  # radios: no blank choice
        self.helper = _helper()


# --- Ending -------------------------------------------------------------------------------------


class ContractEndingForm(RegisterDatesMixin, forms.ModelForm):
    """ContractEnding.clean() asks for the breach when the contract ended early for breach."""

    class Meta:
        model = ContractEnding
        fields = ["kind", "ended_on", "reason", "ended_early_for_breach", "breach_details", "damages_or_settlement"]
        labels = {
            "kind": "How it ends",
            "ended_on": "Date it ends",
            "ended_early_for_breach": "Ended early because the supplier breached the contract",
        }
        help_texts = {
            "reason": "Why the contract is terminated or left to expire.",
            "breach_details": "Required when the contract ended early for breach: what the supplier failed to do.",
            "damages_or_settlement": "Any damages awarded or settlement agreed (both go in the termination notice).",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "ended_on": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "breach_details": forms.Textarea(attrs={"rows": 3}),
            "damages_or_settlement": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = ContractEnding.Kind.choices  # radios: no blank choice
        self.initial.setdefault("ended_on", min(contract.end_date, timezone.localdate()))
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(Column("kind", css_class="col-md-6"), Column("ended_on", css_class="col-md-6")),
            "reason",
            "ended_early_for_breach",
            "breach_details",
            "damages_or_settlement",
        )

    def clean_ended_on(self):
        # The contract's status changes as soon as the ending is recorded: a future ending would stop
        # its alerts and take it off the active register early.
        day = self.cleaned_data["ended_on"]
        if day > timezone.localdate():
            raise ValidationError(
                "Record the ending once the contract has ended: the date is in the future. "
                "To plan it, record a renewal decision (let expire or re-procure)."
            )
        return day


# --- Savings ------------------------------------------------------------------------------------


class SavingForm(RegisterDatesMixin, forms.ModelForm):
    """Saving.clean() refuses a zero or negative amount."""

    class Meta:
        model = Saving
        fields = ["kind", "amount", "achieved_on", "description", "evidence"]
        labels = {"amount": "Amount", "description": "What was saved"}
        help_texts = {
            "kind": "Cash-releasing: money no longer spent. Cost avoidance: a cost increase that did not happen.",
            "achieved_on": "It counts in the financial year (April to March) of this date.",
        }
        widgets = {
            "achieved_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(
                Column("kind", css_class="col-md-4"),
                Column(PrependedText("amount", "£"), css_class="col-md-4"),
                Column("achieved_on", css_class="col-md-4"),
            ),
            "description",
            "evidence",
        )

    def clean_achieved_on(self):
        day = self.cleaned_data["achieved_on"]
        if day > timezone.localdate():
            raise ValidationError("Record a saving once it is achieved: the date is in the future.")
        return day


# --- Training -----------------------------------------------------------------------------------


class TrainingRecordForm(RegisterDatesMixin, forms.ModelForm):
    class Meta:
        model = TrainingRecord
        fields = ["user", "course", "course_name", "level", "completed_on", "expires_on"]
        labels = {"user": "Person", "completed_on": "Completed on", "expires_on": "Expires on"}
        help_texts = {"expires_on": "Leave blank if it does not expire."}
        widgets = {"completed_on": DateInput(), "expires_on": DateInput()}
        field_classes = {"user": _UserChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = User.objects.filter(is_active=True)
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(Column("user", css_class="col-md-6")),
            Row(Column("course", css_class="col-md-6"), Column("course_name", css_class="col-md-6")),
            Row(Column("level"), Column("completed_on"), Column("expires_on")),
        )

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # a form's clean() returns its cleaned_data
        completed, expires = cleaned.get("completed_on"), cleaned.get("expires_on")
        if completed and completed > timezone.localdate():
            self.add_error("completed_on", "Record a course once it is completed: the date is in the future.")
        if completed and expires and expires <= completed:
            self.add_error("expires_on", "The training must expire after the day it was completed.")
        if cleaned.get("course") == TrainingRecord.Course.OTHER and not (cleaned.get("course_name") or "").strip():
            self.add_error("course_name", "Name the course.")
        return cleaned


# --- Handover -----------------------------------------------------------------------------------


def _check_reason(form: forms.Form, *, from_user) -> None:
    """The reason's length is checked at the first step, as the service will check it."""
    data = form.cleaned_data
    if data.get("to_user") and data.get("reason"):
        try:
            handover_history_reason(from_user=from_user, to_user=data["to_user"], reason=data["reason"])
        except ValidationError as error:
            add_model_errors(form, error)


class HandoverForm(forms.Form):
    ROLE_CHOICES = [("oco", "OCO (Operational Contract Owner)"), ("sro", "SRO (Senior Representative Owner)")]

    from_user = _UserChoiceField(
        queryset=User.objects.none(),
        label="From",
        help_text="Everyone named as OCO or SRO on a contract, including people who have left.",
    )
    role = forms.ChoiceField(choices=ROLE_CHOICES, widget=forms.RadioSelect, label="Role")
    to_user = _UserChoiceField(
        queryset=User.objects.none(), label="To", help_text="An active OCO (or SRO) who takes the contracts over."
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=f"Kept in each contract's history, for example “Moved to the Fleet team”: at most "
        f"{HANDOVER_REASON_LIMIT} characters together with the words “Handover from … to …:” and the two names.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from_user_field = self.fields["from_user"]
        assert isinstance(from_user_field, forms.ModelChoiceField)
        from_user_field.queryset = User.objects.filter(
            Q(contracts_as_oco__isnull=False) | Q(contracts_as_sro__isnull=False)
        ).distinct()
        to_user_field = self.fields["to_user"]
        assert isinstance(to_user_field, forms.ModelChoiceField)
        to_user_field.queryset = User.objects.filter(groups__name__in=[roles.OCO, roles.SRO], is_active=True).distinct()
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(Column("from_user", css_class="col-md-6"), Column("to_user", css_class="col-md-6")),
            "role",
            "reason",
        )

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # a form's clean() returns its cleaned_data
        if cleaned.get("from_user") and cleaned.get("from_user") == cleaned.get("to_user"):
            self.add_error("to_user", "Choose someone else to hand over to.")
        _check_reason(self, from_user=cleaned.get("from_user"))
        return cleaned

    def contracts(self):
        """The live contracts that would move."""
        field = self.cleaned_data["role"]
        return (
            Contract.objects.filter(**{field: self.cleaned_data["from_user"]})
            .exclude(status__in=[Contract.Status.EXPIRED, Contract.Status.TERMINATED])
            .select_related("supplier")
            .order_by("reference")
        )


class HandoverSelectedForm(forms.Form):
    """The register's bulk action: the chosen contracts go to one OCO (or SRO), whoever holds them now."""

    contracts = forms.ModelMultipleChoiceField(queryset=Contract.objects.none(), widget=forms.MultipleHiddenInput)
    role = forms.ChoiceField(choices=HandoverForm.ROLE_CHOICES, widget=forms.RadioSelect, label="Role")
    to_user = _UserChoiceField(
        queryset=User.objects.none(), label="To", help_text="An active OCO (or SRO) who takes the contracts over."
    )
    reason = HandoverForm.base_fields["reason"]

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        contracts_field = self.fields["contracts"]
        assert isinstance(contracts_field, forms.ModelMultipleChoiceField)
        contracts_field.queryset = contracts
        to_user_field = self.fields["to_user"]
        assert isinstance(to_user_field, forms.ModelChoiceField)
        to_user_field.queryset = User.objects.filter(groups__name__in=[roles.OCO, roles.SRO], is_active=True).distinct()
        self.helper = _helper()
        self.helper.layout = Layout("contracts", Row(Column("to_user", css_class="col-md-6")), "role", "reason")

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None
        # The longest name among those the contracts move from decides whether the reason fits.
        holders = [getattr(c, cleaned.get("role") or "oco") for c in cleaned.get("contracts") or []]
        _check_reason(self, from_user=max(holders, key=lambda u: len(str(u or "nobody")), default=None))
        return cleaned
