"""Forms of the remedies pages: an improvement notice and its outcome, a service credit or deduction,
a breach and its outcome. The models' clean() methods hold the rules; each message shows next to its field."""

from crispy_forms.bootstrap import PrependedText
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.exceptions import ValidationError

from contracts.models import Contract
from core.formatting import long_date
from core.forms import DateInput, RegisterDatesMixin
from performance.models import Breach, ImprovementNotice, ImprovementPlan, Kpi, ServiceCredit


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout:
        helper.layout = Layout(*layout)
    return helper


class _PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, plan):
        about = plan.kpi.name if plan.kpi else "the contract"
        return f"{about}: improve by {long_date(plan.improve_by)} ({plan.get_status_display().lower()})"


class ImprovementNoticeForm(RegisterDatesMixin, forms.ModelForm):
    class Meta:
        model = ImprovementNotice
        fields = ["plan", "issued_on", "cure_by", "failure", "required_action"]
        widgets = {
            "issued_on": DateInput(),
            "cure_by": DateInput(),
            "failure": forms.Textarea(attrs={"rows": 3}),
            "required_action": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "cure_by": "The last day of the cure period: the supplier's proper opportunity to improve.",
            "failure": "How the supplier is not performing to the force's satisfaction, as the notice says.",
        }
        field_classes = {"plan": _PlanChoiceField}

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        plan = self.fields["plan"]
        assert isinstance(plan, forms.ModelChoiceField)
        plan.queryset = ImprovementPlan.objects.filter(contract=contract).select_related("kpi")
        plan.empty_label = "None"
        self.helper = _helper("plan", Row(Column("issued_on"), Column("cure_by")), "failure", "required_action")


class ImprovementNoticeOutcomeForm(RegisterDatesMixin, forms.ModelForm):
    class Meta:
        model = ImprovementNotice
        fields = ["outcome", "outcome_on", "outcome_notes"]
        widgets = {"outcome_on": DateInput(), "outcome_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Row(Column("outcome"), Column("outcome_on")), "outcome_notes")


class ServiceCreditForm(RegisterDatesMixin, forms.ModelForm):
    """A credit or deduction for one of a KPI's reporting periods: the period is the one starting on the day given."""

    class Meta:
        model = ServiceCredit
        fields = ["kpi", "period_start", "kind", "amount", "invoice_reference", "reason"]
        labels = {"period_start": "Reporting period starting on", "amount": "Amount"}
        widgets = {"period_start": DateInput(), "reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        kpi = self.fields["kpi"]
        assert isinstance(kpi, forms.ModelChoiceField)
        kpi.queryset = Kpi.objects.filter(contract=contract).order_by("name")
        self.helper = _helper(
            Row(Column("kpi"), Column("period_start")),
            Row(Column("kind"), Column(PrependedText("amount", "£")), Column("invoice_reference")),
            "reason",
        )

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None
        kpi, start = cleaned.get("kpi"), cleaned.get("period_start")
        if kpi is not None and start is not None:
            period = kpi.period_for(start)
            if period is None:
                self.add_error(
                    "period_start",
                    ValidationError(
                        f"No reporting period of {kpi.name} starts on {long_date(start)}: its "
                        f"{kpi.get_frequency_display().lower()} periods start on {long_date(kpi.start_date)} "
                        "and every period after."
                    ),
                )
            else:
                self.instance.period_end = period.end
        return cleaned


class BreachForm(RegisterDatesMixin, forms.ModelForm):
    class Meta:
        model = Breach
        fields = ["identified_on", "requirement", "description"]
        widgets = {"identified_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        self.helper = _helper(Row(Column("identified_on", css_class="col-md-4")), "requirement", "description")


class BreachOutcomeForm(RegisterDatesMixin, forms.ModelForm):
    class Meta:
        model = Breach
        fields = ["outcome", "outcome_on", "value", "outcome_notes"]
        widgets = {"outcome_on": DateInput(), "outcome_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(Column("outcome"), Column("outcome_on"), Column(PrependedText("value", "£"))), "outcome_notes"
        )
