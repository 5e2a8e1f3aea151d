"""The form field for a document attached to something on a contract (meeting minutes, a log entry's
attachment, an MI report): optional, checked by type, content and size like contract documents."""

from django import forms

from contracts.documents import ALLOWED_EXTENSIONS_TEXT, BY_EXTENSION, validate_document


class DocumentField(forms.FileField):
    """An optional document, checked by type, content and size like contract documents."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", f"Optional. {ALLOWED_EXTENSIONS_TEXT}, up to 25 MB.")
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ",".join(BY_EXTENSION)}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial and hasattr(upload, "size"):
            validate_document(upload)
        return upload
