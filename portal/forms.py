"""The supplier's MI submission form: the report's file and one figure (with a comment) per KPI."""

from django import forms
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm

from contracts.documents import ALLOWED_EXTENSIONS_TEXT
from core.forms import DateInput
from portal.services.submissions import Entry


class WelcomeForm(forms.Form):
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. A few unrelated words make a strong one.",
    )
    password2 = forms.CharField(
        label="Type it again", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "The two passwords differ.")
        return data


class FiguresForm(forms.Form):
    """A figure for each KPI in `kpis` (field `kpi_<id>`, comment `comment_<id>`); with `with_file`, the
    report's file too."""

    file = forms.FileField(label="The MI report", help_text="PDF, Word, Excel or CSV.")

    def __init__(self, *args, kpis, with_file: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_file:
            del self.fields["file"]
        self.kpis = list(kpis)
        for kpi in self.kpis:
            self.fields[f"kpi_{kpi.pk}"] = forms.DecimalField(
                label=f"{kpi.name}: the figure for the period",
                max_digits=14,
                decimal_places=2,
                help_text=f"Target: {kpi.target} ({kpi.get_unit_display()}).",
            )
            self.fields[f"comment_{kpi.pk}"] = forms.CharField(
                label=f"{kpi.name}: your comment (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def entries(self) -> dict[int, Entry]:
        return {
            kpi.pk: Entry(actual=self.cleaned_data[f"kpi_{kpi.pk}"], commentary=self.cleaned_data[f"comment_{kpi.pk}"])
            for kpi in self.kpis
        }

    def rows(self):
        """Each KPI with its two bound fields, for the template."""
        return [(kpi, self[f"kpi_{kpi.pk}"], self[f"comment_{kpi.pk}"]) for kpi in self.kpis]


class VerifyForm(forms.Form):
    ACCEPT, QUERY = "accept", "query"
    action = forms.ChoiceField(choices=[(ACCEPT, "Accept"), (QUERY, "Query")])
    commentary = forms.CharField(label="Your commentary (needed if it is rated below standard)", required=False)
    reason = forms.CharField(label="What is wrong with it (for the supplier)", required=False)


class ReplyForm(forms.Form):
    text = forms.CharField(label="Your reply", widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(
        label="Attach a document (optional)", required=False, help_text=f"A {ALLOWED_EXTENSIONS_TEXT} file."
    )


class ShareForm(forms.Form):
    supplier_notice = forms.CharField(
        label="What the supplier is told",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Only this, the escalation's title and the reply-by date are shown to the supplier.",
    )
    supplier_respond_by = forms.DateField(label="The supplier replies by", widget=DateInput())


class NoticeShareForm(forms.Form):
    supplier_respond_by = forms.DateField(
        label="The supplier replies by",
        widget=DateInput(),
        help_text="The notice's failure, required action and cure period are shown to the supplier; its "
        "improvement plan and the notes about its outcome are not.",
    )


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's, with the invitation's words: at least 12 characters (the site's password validators)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = WelcomeForm.base_fields["password1"].help_text
