from crispy_forms.helper import FormHelper
from django import forms

from accounts.models import User
from contracts.models import KeySupplier
from core.forms import DateInput, RegisterDatesMixin


class KeySupplierForm(RegisterDatesMixin, forms.ModelForm):
    """The designation's reason and the relationship plan: lead, objectives, review meetings."""

    class Meta:
        model = KeySupplier
        fields = ["reason", "lead", "objectives", "meeting_frequency", "next_meeting_on"]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.Textarea(attrs={"rows": 5}),
            "next_meeting_on": DateInput(),
        }
        help_texts = {
            "lead": "Who leads the relationship for the force (usually a Procurement Unit officer).",
            "objectives": "What the force wants from the relationship: one objective a line.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lead = self.fields["lead"]
        assert isinstance(lead, forms.ModelChoiceField)
        lead.queryset = User.objects.filter(is_active=True).order_by("first_name", "last_name")
        self.fields["reason"].required = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
