"""Demo KPIs with 18 months of results, milestones and MI reports for the demo register.

Run once: when any KPI exists, nothing is added. Results go through `kpi_result_record`, as the
page records them, so ratings, the audit trail and the escalation of a run of poor results
are real. Dates are relative to the day of the run; a few periods are left unrecorded so the
OCOs have results due and overdue, and one contract has a late MI report."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from contracts.models import Contract
from core.dates import add_months, financial_year_label, financial_year_of
from demo.documents import pdf
from performance import services
from performance.models import ImprovementPlan, Kpi, KpiResult, Milestone, MiReport
from performance.periods import Frequency
from performance.ratings import Direction, Rating

MONTHS_OF_RESULTS = 18
HIGHER, LOWER = Direction.HIGHER, Direction.LOWER
PCT, HOURS, COUNT, YES_NO = Kpi.Unit.PERCENTAGE, Kpi.Unit.HOURS, Kpi.Unit.COUNT, Kpi.Unit.YES_NO
MONTHLY, QUARTERLY = Frequency.MONTHLY, Frequency.QUARTERLY

# fmt: off
# reference, days before today its periods start (< 14: the last period's result is still due, not
# overdue), and its KPIs: name, unit, direction, target, tolerance, inadequate threshold, frequency, published
PLAN = (
    ("CON-2022-004", 3, (  # ICT service desk: a run of poor results on the first KPI is escalated
        ("Calls answered within 20 seconds", PCT, HIGHER, 90, 3, 80, MONTHLY, True),
        ("Priority 1 incidents resolved within 4 hours", PCT, HIGHER, 95, 2, 85, MONTHLY, True),
        ("First-time fix rate", PCT, HIGHER, 75, 5, 60, MONTHLY, True),
        ("Users rating the service good or better", PCT, HIGHER, 85, 5, 70, QUARTERLY, False),
    )),
    ("CON-2023-001", 20, (
        ("Vehicles available for duty", PCT, HIGHER, 95, 2, 88, MONTHLY, True),
        ("Servicing completed within 5 working days", PCT, HIGHER, 90, 3, 80, MONTHLY, True),
        ("Average time off the road for repairs", HOURS, LOWER, 48, 12, 96, MONTHLY, True),
        ("Breakdown recovery within 60 minutes", YES_NO, HIGHER, 1, 0, 1, MONTHLY, False),
    )),
    ("CON-2023-009", 10, (  # over £5m with two published KPIs, but under the 2015 Regulations: no flag
        ("Emergency reactive jobs attended within 2 hours", PCT, HIGHER, 98, 2, 90, MONTHLY, True),
        ("Planned maintenance completed on schedule", PCT, HIGHER, 95, 3, 85, MONTHLY, True),
        ("Average time to fix a priority 1 fault", HOURS, LOWER, 4, 2, 8, MONTHLY, False),
        ("Statutory compliance certificates in date", YES_NO, HIGHER, 1, 0, 1, QUARTERLY, False),
    )),
    ("CON-2024-012", 27, (  # over £5m with one published KPI, under the 2015 Regulations: no flag
        ("Casework reported within 10 working days", PCT, HIGHER, 90, 3, 80, MONTHLY, True),
        ("Urgent samples profiled within 72 hours", PCT, HIGHER, 98, 1, 90, MONTHLY, False),
        ("ISO 17025 accreditation maintained", YES_NO, HIGHER, 1, 0, 1, QUARTERLY, False),
    )),
    ("CON-2022-001", 6, (
        ("Detainees seen within 60 minutes of a request", PCT, HIGHER, 90, 3, 80, MONTHLY, True),
        ("Average wait for a healthcare professional", HOURS, LOWER, 1, Decimal("0.25"), 2, MONTHLY, True),
        ("Shifts fully staffed", PCT, HIGHER, 98, 2, 90, MONTHLY, True),
        ("Clinical governance audit passed", YES_NO, HIGHER, 1, 0, 1, QUARTERLY, False),
    )),
    ("CON-2023-002", 15, (
        ("Evidence platform availability", PCT, HIGHER, Decimal("99.5"), Decimal("0.3"), 98, MONTHLY, True),
        ("Faulty cameras replaced within 2 working days", PCT, HIGHER, 95, 3, 85, MONTHLY, False),
        ("Average time to restore the evidence platform", HOURS, LOWER, 4, 2, 12, MONTHLY, False),
    )),
    ("CON-2023-003", 1, (
        ("Results reported within 15 working days", PCT, HIGHER, 92, 3, 80, MONTHLY, True),
        ("Errors found in court statements", COUNT, LOWER, 0, 1, 3, QUARTERLY, False),
        ("Chain-of-custody audit passed", YES_NO, HIGHER, 1, 0, 1, QUARTERLY, False),
    )),
    ("CON-2024-011", 24, (
        ("Orders delivered complete within 10 days", PCT, HIGHER, 95, 2, 88, MONTHLY, True),
        ("Made-to-measure items right first time", PCT, HIGHER, 90, 4, 80, MONTHLY, False),
        ("Returns processed within 5 days", PCT, HIGHER, 95, 3, 85, QUARTERLY, False),
    )),
    ("CON-2022-005", 9, (
        ("Terminals repaired within 3 working days", PCT, HIGHER, 95, 3, 85, MONTHLY, True),
        ("Average repair turnaround", HOURS, LOWER, 48, 12, 96, MONTHLY, False),
        ("Loan pool of terminals available", YES_NO, HIGHER, 1, 0, 1, MONTHLY, False),
    )),
    ("CON-2025-004", 12, (  # under the Act, over £5m, two published KPIs of three: flagged
        ("Critical alerts triaged within 15 minutes", PCT, HIGHER, 95, 2, 85, MONTHLY, True),
        ("Major incidents contained within 4 hours", PCT, HIGHER, 90, 5, 75, MONTHLY, True),
        ("Monthly threat report delivered", YES_NO, HIGHER, 1, 0, 1, MONTHLY, False),
    )),
    ("CON-2024-010", 18, (
        ("Bookings filled", PCT, HIGHER, 98, 1, 92, MONTHLY, True),
        ("Urgent interpreters attending within 2 hours", PCT, HIGHER, 90, 4, 80, MONTHLY, False),
        ("Complaints upheld", COUNT, LOWER, 1, 1, 4, QUARTERLY, False),
    )),
)
# fmt: on

POOR_RUN_CONTRACT = "CON-2022-004"  # its first KPI ends on Requires improvement, Inadequate, Requires improvement
LATE_MI_CONTRACT = "CON-2023-009"  # its latest MI report past its expected date has not arrived

# The shape of a KPI's history, period by period: mostly good, now and then close, rarely short.
PATTERN = ("good", "better", "approaching", "good", "better", "short", "good")
COMMENTARY: dict[str, str] = {
    Rating.REQUIRES_IMPROVEMENT: "Below target: the supplier blames staff absence and has sent a recovery plan.",
    Rating.INADEQUATE: "Well below target; raised with the account manager the same week.",
}

# fmt: off
# title (or titles, one per contract in turn), due (days from today), status, met (days after due), notes
MILESTONES = (
    ("Annual service review held with the supplier", -110, Milestone.Status.PARTIALLY_MET, 4,
     "Review held; the supplier's continuous-improvement plan is still outstanding."),
    (("Business continuity plan tested", "Service improvement plan delivered", "Contract management plan agreed"),
     -21, Milestone.Status.SCHEDULED, None, ""),
    ("Social value report for the year received", -50, Milestone.Status.NOT_MET, None,
     "Not provided; raised at the quarterly meeting and chased in writing."),
    ("Exit and transition plan agreed", 160, Milestone.Status.SCHEDULED, None, ""),
    ("Price review for next year agreed", 45, Milestone.Status.SCHEDULED, None, ""),
)
# fmt: on

MI_EVALUATIONS = (
    ("On time and complete; every KPI reported with evidence.", ""),
    (
        "Complete. Response times slipped at weekends; the supplier explains a rota gap.",
        "Weekend cover below contract.",
    ),
    ("Reported late in the month but complete; figures agree with our own records.", ""),
    ("Complete. Invoices reconciled with the volumes reported.", ""),
)


def _value(kpi: Kpi, shape: str) -> Decimal:
    """A result of the given shape for the KPI's target, tolerance and threshold."""
    target, tolerance, threshold = kpi.target, kpi.tolerance, kpi.inadequate_threshold
    if kpi.unit == YES_NO:
        return Decimal(0) if shape in ("short", "inadequate") else Decimal(1)
    sign = 1 if kpi.direction == HIGHER else -1
    ceiling = Decimal(100) if kpi.unit == PCT else target * 2
    value = {
        "better": target + sign * (ceiling - target) * Decimal("0.6") if sign > 0 else target * Decimal("0.6"),
        "good": target + sign * (ceiling - target) * Decimal("0.3") if sign > 0 else target * Decimal("0.85"),
        "approaching": target - sign * tolerance / 2,
        "short": (target - sign * tolerance + threshold) / 2,
        "inadequate": threshold - sign * max(tolerance, Decimal(1)) * 2,
    }[shape]
    step = Decimal("1") if kpi.unit == COUNT else Decimal("0.1")
    return max(value.quantize(step), Decimal(0))


def _seed_kpis(contract: Contract, offset: int, kpis, *, number: int, today: date, by: User) -> None:
    oco = contract.oco
    assert oco is not None  # every demo contract has an OCO
    anchor = add_months(today - timedelta(days=offset), -MONTHS_OF_RESULTS)
    for index, (name, unit, direction, target, tolerance, threshold, frequency, published) in enumerate(kpis):
        kpi = Kpi(
            contract=contract,
            name=name,
            kind=Kpi.Kind.SLA if unit == YES_NO else Kpi.Kind.KPI,
            unit=unit,
            direction=direction,
            target=Decimal(target),
            tolerance=Decimal(tolerance),
            inadequate_threshold=Decimal(threshold),
            frequency=frequency,
            start_date=max(anchor, contract.start_date),
            is_published=published,
            description="Measured from the supplier's monthly MI report and checked against our own records.",
        )
        kpi.full_clean()
        services.kpi_save(kpi=kpi, by=by)
        ended = [period for period in kpi.periods(until=today) if period.end < today]
        poor = contract.reference == POOR_RUN_CONTRACT and index == 0
        skipped = set()
        if not poor:
            if (number + index) % 3 == 0 and ended:
                skipped.add(ended[-1].start)  # not recorded yet: due, or overdue on a long-ended period
            if number % 4 == 1 and index == 1 and len(ended) > 4:
                skipped.add(ended[-4].start)  # forgotten months ago: overdue
        for position, period in enumerate(ended):
            if period.start in skipped:
                continue
            shape = PATTERN[position % len(PATTERN)]
            if poor and position >= len(ended) - 3:
                shape = ("short", "inadequate", "short")[position - (len(ended) - 3)]
            actual = _value(kpi, shape)
            services.kpi_result_record(
                kpi=kpi,
                period_start=period.start,
                actual=actual,
                by=oco,
                commentary=COMMENTARY.get(kpi.rate(actual), ""),
            )


def _seed_milestones(contract: Contract, *, number: int, today: date) -> None:
    oco = contract.oco
    assert oco is not None  # every demo contract has an OCO
    mobilised = contract.start_date + timedelta(days=60)
    if mobilised < today:
        milestone = Milestone(
            contract=contract,
            title="Mobilisation complete and service live",
            due_date=mobilised,
            status=Milestone.Status.MET,
            met_on=mobilised - timedelta(days=2),
            owner=oco,
        )
        milestone.full_clean()
        services.milestone_save(milestone=milestone, by=oco)
    for offset in range(3):
        title, due_in, status, met_after, notes = MILESTONES[(number + offset) % len(MILESTONES)]
        if isinstance(title, tuple):
            title = title[number % len(title)]
        due = today + timedelta(days=due_in - 3 * number)  # spread over the contracts
        milestone = Milestone(
            contract=contract,
            title=title,
            due_date=due,
            status=status,
            met_on=due + timedelta(days=met_after) if met_after is not None else None,
            owner=oco,
            notes=notes,
        )
        milestone.full_clean()
        services.milestone_save(milestone=milestone, by=oco)


def _quarter_label(start: date) -> str:
    """The force's financial year runs April to March: April to June is Q1 2026-27."""
    return f"Q{(start.month - 4) % 12 // 3 + 1} {financial_year_label(financial_year_of(start))}"


def _seed_mi_reports(contract: Contract, *, number: int, today: date) -> None:
    oco = contract.oco
    assert oco is not None  # every demo contract has an OCO
    quarter_start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    late_left = contract.reference == LATE_MI_CONTRACT
    for back in range(1, 5):  # the last four quarters that have ended, newest first
        start = add_months(quarter_start, -3 * back)
        end = add_months(start, 3) - timedelta(days=1)
        expected_by = end + timedelta(days=21)
        report = MiReport(
            contract=contract,
            period_label=_quarter_label(start),
            period_start=start,
            period_end=end,
            expected_by=expected_by,
        )
        upload = None
        if expected_by >= today:
            pass  # not due yet: awaited
        elif late_left:
            late_left = False  # the newest past its date has not arrived: late
        else:
            report.received_on = expected_by - timedelta(days=(number + back) % 5)
            report.evaluation, report.issues_found = MI_EVALUATIONS[(number + back) % len(MI_EVALUATIONS)]
            if number < 3:
                upload = SimpleUploadedFile(
                    f"{contract.reference}-MI-{report.period_label.replace(' ', '-')}.pdf",
                    pdf(
                        f"Management information: {report.period_label}",
                        [contract.title, contract.supplier.name, "", "A demonstration report."],
                    ),
                    content_type="application/pdf",
                )
        report.recorded_by = oco
        report.full_clean()
        services.mi_report_save(report=report, by=oco, upload=upload)


def seed(*, today: date, users: dict[str, User]) -> None:
    if Kpi.objects.exists():
        return
    by = users["procurement"]
    contracts = {
        c.reference: c
        for c in Contract.objects.active()
        .filter(reference__in=[row[0] for row in PLAN], oco__isnull=False)
        .select_related("oco", "supplier")
    }
    for number, (reference, offset, kpis) in enumerate(PLAN):
        contract = contracts.get(reference)
        if contract is None:
            continue
        _seed_kpis(contract, offset, kpis, number=number, today=today, by=by)
        _seed_milestones(contract, number=number, today=today)
        _seed_mi_reports(contract, number=number, today=today)
    if POOR_RUN_CONTRACT in contracts:
        _seed_improvement_plan(contracts[POOR_RUN_CONTRACT], today=today)


def _seed_improvement_plan(contract: Contract, *, today: date) -> None:
    """The poor run's KPI gets the improvement plan its OCO started after the Inadequate result."""
    kpi = contract.kpis.order_by("pk").first()
    inadequate = kpi.results.filter(rating=Rating.INADEQUATE).order_by("-period_start").first() if kpi else None
    if kpi is None or inadequate is None or contract.oco is None:
        return
    services.improvement_plan_start(
        plan=ImprovementPlan(
            contract=contract,
            kpi=kpi,
            result=inadequate,
            must_improve=f"{kpi.name} back to its target of {kpi.target} for three months running; "
            "a weekly report of the recovery plan's progress to the OCO.",
            improve_by=today + timedelta(days=60),
            review_on=today + timedelta(days=21),
            owner=contract.oco,
        ),
        by=contract.oco,
    )


def counts() -> dict[str, int]:
    return {
        "KPIs": Kpi.objects.count(),
        "KPI results": KpiResult.objects.count(),
        "milestones": Milestone.objects.count(),
        "MI reports": MiReport.objects.count(),
    }
