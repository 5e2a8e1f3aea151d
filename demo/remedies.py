"""Demo remedies: the service desk supplier with a run of poor results is given an improvement notice
with a cure period (from its improvement plan) and a service credit for its Inadequate month; the
cyber security contract, procured under the Procurement Act 2023, has a breach settled ten days ago,
so its section 72 contract performance notice is due.

Run once: nothing is added when any breach, improvement notice or service credit exists. Dates are
relative to the day of the run."""

from datetime import date, timedelta
from decimal import Decimal

from accounts.models import User
from contracts.models import Contract
from performance import services
from performance.models import Breach, BreachOutcome, ImprovementNotice, ServiceCredit
from performance.ratings import Rating

NOTICE_CONTRACT = "CON-2022-004"  # the poor run's contract (demo/performance.py POOR_RUN_CONTRACT)
BREACH_CONTRACT = "CON-2025-004"  # under the Act: its settlement makes a section 72 notice due


def counts() -> dict[str, int]:
    return {
        "improvement notices": ImprovementNotice.objects.count(),
        "service credits": ServiceCredit.objects.count(),
        "breaches": Breach.objects.count(),
    }


def seed(*, today: date, users: dict[str, User]) -> None:
    if any(counts().values()):
        return
    contracts = {c.reference: c for c in Contract.objects.filter(reference__in=[NOTICE_CONTRACT, BREACH_CONTRACT])}
    if NOTICE_CONTRACT in contracts:
        _seed_notice_and_credit(contracts[NOTICE_CONTRACT], today=today, by=users["procurement"])
    if BREACH_CONTRACT in contracts:
        _seed_breach(contracts[BREACH_CONTRACT], today=today, by=users["procurement"])


def _seed_notice_and_credit(contract: Contract, *, today: date, by: User) -> None:
    oco = contract.oco or by
    plan = contract.improvement_plans.order_by("pk").first()
    notice = ImprovementNotice(
        contract=contract,
        plan=plan,
        issued_on=today - timedelta(days=7),
        failure="Calls answered within 20 seconds has been below target for three months, and Inadequate "
        "last month, despite the improvement plan.",
        required_action="Restore the service level to target for two consecutive months: extra first-line "
        "staff on the morning shift and a weekly recovery report to the OCO.",
        cure_by=today + timedelta(days=30),
    )
    notice.full_clean(exclude=["recorded_by"])
    services.improvement_notice_issue(notice=notice, by=oco)
    kpi = contract.kpis.order_by("pk").first()
    inadequate = kpi.results.filter(rating=Rating.INADEQUATE).order_by("-period_start").first() if kpi else None
    if kpi is None or inadequate is None:
        return
    credit = ServiceCredit(
        contract=contract,
        kpi=kpi,
        period_start=inadequate.period_start,
        period_end=inadequate.period_end,
        kind=ServiceCredit.Kind.SERVICE_CREDIT,
        amount=Decimal("4250.00"),
        invoice_reference=f"CN-{inadequate.period_start:%Y%m}-0417",
        reason="Schedule 5 service credit: 5% of the monthly charge for a month rated Inadequate.",
    )
    credit.full_clean(exclude=["recorded_by"])
    services.service_credit_record(credit=credit, by=oco)


def _seed_breach(contract: Contract, *, today: date, by: User) -> None:
    oco = contract.oco or by
    breach = Breach(
        contract=contract,
        identified_on=today - timedelta(days=75),
        requirement="Schedule 2, paragraph 6.3: a major incident responded to within 30 minutes, around the clock",
        description="A ransomware alert on a Saturday night was not picked up for 4 hours 40 minutes; the "
        "force's own duty officer escalated it.",
    )
    breach.full_clean(exclude=["recorded_by"])
    breach = services.breach_record(breach=breach, by=oco)
    breach.outcome = BreachOutcome.SETTLEMENT
    breach.outcome_on = today - timedelta(days=10)
    breach.value = Decimal("45000.00")
    breach.outcome_notes = "Settled without admission: £45,000 credited against the next quarter's invoice."
    breach.full_clean()
    services.breach_decide(breach=breach, by=by)
