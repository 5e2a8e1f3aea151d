from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms

from suppliers.identity import normalise_company_number, normalise_ppon
from suppliers.models import Supplier, SupplierContact


class CompactUpperField(forms.CharField):
    """Accepts "sc 123456" or "gb 123 4567 89" as typed and checks the canonical form."""

    def to_python(self, value):
        return "".join((super().to_python(value) or "").split()).upper()


class CompanyNumberField(forms.CharField):
    """ "5566123" (a spreadsheet dropped the zero) or "sc 123456", as the one normalisation reads them."""

    def to_python(self, value):
        return normalise_company_number(super().to_python(value))


class PponField(forms.CharField):
    def to_python(self, value):
        return normalise_ppon(super().to_python(value))


class SupplierForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https", help_text="For example www.supplier.co.uk")

    class Meta:
        model = Supplier
        fields = ["name", "companies_house_number", "vat_number", "ppon", "status", "website", "address", "notes"]
        field_classes = {
            "companies_house_number": CompanyNumberField,
            "vat_number": CompactUpperField,
            "ppon": PponField,
        }
        widgets = {"address": forms.Textarea(attrs={"rows": 3}), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Room for the spaces people type; the canonical form is checked.
        self.fields["companies_house_number"].widget.attrs["maxlength"] = 12
        self.fields["vat_number"].widget.attrs["maxlength"] = 20
        self.fields["ppon"].widget.attrs["maxlength"] = 24
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                "The supplier",
                "name",
                Row(Column("companies_house_number"), Column("vat_number"), Column("ppon"), Column("status")),
                "website",
                "address",
                "notes",
            )
        )


# At most 50 contacts a supplier: a posted form count above that is refused rather than building
# (and drawing again) the 2,000 forms Django would otherwise allow.
SupplierContactFormSet = forms.inlineformset_factory(
    Supplier,
    SupplierContact,
    fields=["name", "role", "email", "phone"],
    extra=1,
    can_delete=True,
    max_num=50,
    absolute_max=50,
)
