"""Upload forms of the exchange: a spreadsheet of contracts, an OCDS package."""

from django import forms

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
