from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.db.models import Q
from django.utils import timezone

from accounts import roles
from accounts.models import User
from contracts.forms.documents import DocumentField
from contracts.models import Activity, Escalation
from contracts.selectors.people import contract_people
from core.forms import DateInput, RegisterDatesMixin
from meetings.models import Action, ContractMeetingPlan, Meeting
from meetings.schedule import Cadence

NOT_ON_CONTRACT = "Choose someone on this contract: its OCO, its SRO, the Procurement Unit or an attendee."


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(RegisterDatesMixin, forms.ModelForm):
    """The date a meeting was arranged is not asked: it is the day it is recorded (meetings.services)."""

    minutes_upload = DocumentField(label="Minutes file")

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "starts_at",
            "duration_minutes",
            "location",
            "status",
            "short_notice_reason",
            "agenda",
            "attendees",
            "supplier_attendees",
            "minutes",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 4}),
            "short_notice_reason": forms.Textarea(attrs={"rows": 2}),
            "attendees": forms.CheckboxSelectMultiple,
            "supplier_attendees": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, contract, arranging: bool = False, **kwargs):
        """`arranging`: a new meeting ahead, which is planned and has no minutes yet: only what applies
        is asked (a meeting already held is recorded with the full form)."""
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        owners = [pk for pk in (contract.oco_id, contract.sro_id) if pk]
        # Force attendees: the contract's owners and the Procurement Unit.
        attendees_field = self.fields["attendees"]
        assert isinstance(attendees_field, forms.ModelChoiceField)
        attendees_field.queryset = (
            User.objects.filter(is_active=True).filter(Q(pk__in=owners) | Q(groups__name=roles.PROCUREMENT)).distinct()
        )
        supplier_attendees_field = self.fields["supplier_attendees"]
        assert isinstance(supplier_attendees_field, forms.ModelChoiceField)
        supplier_attendees_field.queryset = contract.supplier.contacts.all()
        if not self.instance.pk:
            self.initial.setdefault("attendees", owners)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        if arranging:
            for name in ("status", "minutes", "minutes_upload"):
                del self.fields[name]
            self.instance.status = Meeting.Status.PLANNED
        self.helper.layout = Layout(
            Fieldset(
                "The meeting",
                Row(Column("kind"), Column("status")) if not arranging else "kind",
                Row(Column("starts_at"), Column("duration_minutes")),
                "location",
                "short_notice_reason",
                "agenda",
            ),
            Fieldset("Attendees", Row(Column("attendees"), Column("supplier_attendees"))),
            *([] if arranging else [Fieldset("Minutes", "minutes", "minutes_upload")]),
        )
        self.arranging = arranging

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None
        starts_at = cleaned.get("starts_at")
        if self.arranging and starts_at and starts_at < timezone.now():
            self.add_error(
                "starts_at",
                "This date is in the past: a meeting is arranged ahead. Use “Record a meeting already held” "
                "for one that has taken place.",
            )
        return cleaned


class ActionForm(RegisterDatesMixin, forms.ModelForm):
    class Meta:
        model = Action
        fields = ["description", "owner", "due_date", "done_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "due_date": DateInput(),
            "done_on": DateInput(),
        }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ModelChoiceField)
        # Only people on the contract (an outsider would be sent a link they cannot open).
        # An existing action keeps its owner, even one who has since left the contract.
        also = Q(pk__in=meeting.attendees.values("pk")) | Q(pk=self.instance.owner_id)
        owner_field.queryset = contract_people(meeting.contract, also=also)
        owner_field.error_messages["invalid_choice"] = NOT_ON_CONTRACT
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ActivityForm(RegisterDatesMixin, forms.ModelForm):
    """An entry typed on the administration log: a call, a supplier event, a note, or an escalation to
    the Procurement Unit, which raises a real escalation. Everything else is written by the services."""

    attachment_upload = DocumentField(label="Attachment")
    severity = forms.ChoiceField(
        label="Severity",
        choices=Escalation.Severity.choices,
        initial=Escalation.Severity.MEDIUM,
        required=False,
    )
    source = forms.ChoiceField(
        label="Reason for escalating",
        choices=Escalation.Source.choices,
        initial=Escalation.Source.SIGNIFICANT_PERFORMANCE_ISSUE,
        required=False,
    )

    class Meta:
        model = Activity
        fields = ["kind", "occurred_on", "summary", "details"]
        widgets = {"occurred_on": DateInput(), "details": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, contract, arranging: bool = False, **kwargs):
        """`arranging`: a new meeting ahead, which is planned and has no minutes yet: only what applies
        is asked (a meeting already held is recorded with the full form)."""
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [(kind.value, kind.label) for kind in Activity.TYPED_KINDS]
        self.initial.setdefault("occurred_on", timezone.localdate())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "kind",
            "occurred_on",
            "summary",
            "details",
            "attachment_upload",
            Fieldset("If you escalate to the Procurement Unit", "source", "severity"),
        )

    @property
    def is_escalation(self) -> bool:
        return self.cleaned_data.get("kind") == Activity.Kind.ESCALATION

    def clean(self):
        cleaned = super().clean() or {}
        if self.is_escalation:
            if not cleaned.get("source"):
                self.add_error("source", "Say why you escalate to the Procurement Unit.")
            if not cleaned.get("severity"):
                self.add_error("severity", "Choose how severe it is.")
            if cleaned.get("attachment_upload"):
                self.add_error(
                    "attachment_upload",
                    "An escalation is raised without an attachment: add documents to it on its page once raised.",
                )
        return cleaned


class CadenceForm(forms.ModelForm):
    class Meta:
        model = ContractMeetingPlan
        fields = ["cadence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadence"].required = False
        cadence_field = self.fields["cadence"]
        assert isinstance(cadence_field, forms.ChoiceField)
        cadence_field.choices = [("", "From the Kraljic quadrant (default)")] + [c for c in Cadence.choices if c[0]]
