"""Forms of the exchange: uploads (a spreadsheet of contracts, an OCDS package) and a notice's publication."""

import re

from django import forms

from contracts.forms.lifecycle import PublishedOnForm
from contracts.models import Contract
from core.forms import DateInput, RegisterDatesMixin
from exchange.models import NOTICE_ID_PATTERN, NoticePublication, PaymentComplianceApproval
from exchange.services import imports, ocds_read


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet",
        help_text="A CSV (UTF-8) or Excel (XLSX) file with the template's column headers, 10 MB at most.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        imports.validate_upload(upload)
        return upload


def _named(supplier: dict) -> str:
    number = supplier["companies_house_number"]
    return supplier["name"] + (f" (Companies House {number})" if number else "")


class ImportSuppliersForm(forms.Form):
    """For each supplier the file would create: one of its likely existing matches, or create it.
    Asked when confirming a previewed import, so that a new spelling of a known supplier does
    not become a second supplier."""

    NEW = "new"

    def __init__(self, *args, suppliers: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.suppliers = suppliers
        for index, supplier in enumerate(suppliers):
            choices = [(str(match["id"]), f"Use {_named(match)}") for match in supplier["matches"]]
            choices.append((self.NEW, f"Create “{supplier['name']}” as a new supplier"))
            self.fields[f"supplier_{index}"] = forms.ChoiceField(
                label=_named(supplier),
                choices=choices,
                widget=forms.RadioSelect,
                # Nothing like it on the register: creating it is the answer unless told otherwise.
                initial=None if supplier["matches"] else self.NEW,
                required=bool(supplier["matches"]),
                error_messages={"required": f"Choose an existing supplier for “{supplier['name']}”, or create it."},
            )

    def rows(self):
        """Each supplier with its field, for the template."""
        return [(supplier, self[f"supplier_{index}"]) for index, supplier in enumerate(self.suppliers)]

    def choices(self) -> dict[str, str]:
        return {s["key"]: self.cleaned_data[f"supplier_{i}"] or self.NEW for i, s in enumerate(self.suppliers)}


class OcdsUploadForm(forms.Form):
    file = forms.FileField(
        label="OCDS file (JSON)",
        help_text="An OCDS 1.1 release package or record package, 20 MB at most.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".json"):
            raise forms.ValidationError("Upload a .json file.")
        if upload.size > ocds_read.MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB.")
        try:
            ocds_read.load_package(upload.read())
        except ocds_read.OcdsError as exc:
            raise forms.ValidationError(str(exc)) from None
        upload.seek(0)
        return upload


class NoticePublishedForm(PublishedOnForm):
    """The day a notice was published on Find a Tender, and the identifier Find a Tender gave it."""

    notice_id = forms.CharField(
        label="Find a Tender notice identifier",
        max_length=30,
        help_text="Six digits, a hyphen and the year, as in the notice's address on Find a Tender: 012345-2026.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"}),
    )
    field_order = ["notice_id", "published_on"]

    def __init__(self, *args, current: NoticePublication | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        if current is not None:
            self.initial.setdefault("notice_id", current.notice_id)

    def clean_notice_id(self) -> str:
        value = self.cleaned_data["notice_id"].strip()
        if not re.fullmatch(NOTICE_ID_PATTERN.strip("^$"), value):
            raise forms.ValidationError(
                "Enter the notice identifier as Find a Tender shows it: six digits, a hyphen and the year, "
                "like 012345-2026."
            )
        other = NoticePublication.objects.filter(notice_id=value)
        if self.current is not None:
            other = other.exclude(pk=self.current.pk)
        if other.exists():
            raise forms.ValidationError(f"Notice {value} is already recorded for another notice.")
        return value


class InvoiceMatchForm(forms.Form):
    """The contract of an invoice the import could not match: one of its supplier's contracts."""

    contract: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Contract.objects.none(), label="Contract", empty_label="Choose the contract"
    )

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts  # type: ignore[attr-defined]  # a ModelChoiceField


class PaymentPeriodForm(RegisterDatesMixin, forms.Form):
    """Any period: the figures count the invoices paid from one day to another (both included)."""

    start = forms.DateField(label="Paid from", required=False, widget=DateInput())
    end = forms.DateField(label="Paid to", required=False, widget=DateInput())

    def clean(self):
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period must be on or after its start.")
        return data


class PaymentComplianceApprovalForm(RegisterDatesMixin, forms.ModelForm):
    class Meta:
        model = PaymentComplianceApproval
        fields = ["approver_name", "approver_role", "approved_on"]
        widgets = {"approved_on": DateInput()}
