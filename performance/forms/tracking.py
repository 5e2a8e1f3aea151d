"""Forms for a contract's milestones and the supplier's management-information (MI) reports."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.db.models import Q
from django.utils import timezone

from contracts.documents import ALLOWED_EXTENSIONS_TEXT
from contracts.forms.documents import DocumentField
from contracts.models import Contract
from contracts.selectors.people import contract_people
from core.forms import DateInput, RegisterDatesMixin
from performance.models import Milestone, MiReport


def _helper(layout: Layout | None = None) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout is not None:
        helper.layout = layout
    return helper


class MilestoneForm(RegisterDatesMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "status", "met_on", "owner", "notes"]
        widgets = {
            "due_date": DateInput(),
            "met_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"met_on": "Required when the status is Met; not in the future."}

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ModelChoiceField)
        # An existing milestone keeps its owner, even one who has since left the contract.
        owner_field.queryset = contract_people(contract, also=Q(pk=self.instance.owner_id))
        owner_field.error_messages["invalid_choice"] = (
            "Choose someone on this contract: its OCO, its SRO or the Procurement Unit."
        )
        self.fields["owner"].help_text = "Who makes sure it is met. Blank: the contract's OCO."
        if not self.instance.pk and contract.oco_id:
            self.initial.setdefault("owner", contract.oco_id)
        self.helper = _helper(
            Layout("title", Row(Column("due_date"), Column("status"), Column("met_on")), "owner", "notes")
        )

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # a form's clean() returns its cleaned_data
        status, met_on = cleaned.get("status"), cleaned.get("met_on")
        if met_on and status in (Milestone.Status.SCHEDULED, Milestone.Status.NOT_MET):
            self.add_error("met_on", "Only a milestone that was met or partially met has a date met.")
        return cleaned


class MiReportForm(RegisterDatesMixin, forms.ModelForm):
    file_upload = DocumentField(label="MI report file")

    class Meta:
        model = MiReport
        fields = [
            "period_label",
            "period_start",
            "period_end",
            "expected_by",
            "received_on",
            "evaluation",
            "issues_found",
        ]
        labels = {
            "period_label": "Period",
            "expected_by": "Expected by",
            "received_on": "Received on",
            "evaluation": "Evaluation summary",
        }
        help_texts = {
            "expected_by": "The date the supplier must send it by; after it, an unreceived report is late.",
            "received_on": "Blank until the report arrives.",
            "evaluation": "What the report shows, and what you made of it.",
            "issues_found": "Anything wrong or missing in the report, or in the service it reports on.",
        }
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "expected_by": DateInput(),
            "received_on": DateInput(),
            "evaluation": forms.Textarea(attrs={"rows": 4}),
            "issues_found": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        if self.instance.file:
            self.fields["file_upload"].help_text = (
                f"Uploaded: {self.instance.file_name}. Choose a file only to replace it "
                f"({ALLOWED_EXTENSIONS_TEXT}, up to 25 MB)."
            )
        self.helper = _helper(
            Layout(
                Fieldset(
                    "The report",
                    "period_label",
                    Row(Column("period_start"), Column("period_end")),
                    Row(Column("expected_by"), Column("received_on")),
                    "file_upload",
                ),
                Fieldset("Evaluation", "evaluation", "issues_found"),
            )
        )

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # a form's clean() returns its cleaned_data
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        expected, received = cleaned.get("expected_by"), cleaned.get("received_on")
        if start and end and end < start:
            self.add_error("period_end", "The period must end on or after the day it starts.")
        if start and expected and expected < start:
            self.add_error("expected_by", "A report cannot be due before its period starts.")
        if received and received > timezone.localdate():
            self.add_error("received_on", "A report cannot be received in the future.")
        evaluated = cleaned.get("evaluation", "").strip() or cleaned.get("issues_found", "").strip()
        has_file = cleaned.get("file_upload") or self.instance.file
        if not received and "received_on" not in self.errors and (evaluated or has_file):
            self.add_error("received_on", "Say when the report was received before attaching or evaluating it.")
        return cleaned
