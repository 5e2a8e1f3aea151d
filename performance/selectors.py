"""Reads about performance that are more than a queryset method: milestones and MI reports in the
user's scope, the OCO's task list, and the £5m published-KPI rule."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse

from accounts.models import User
from contracts.models import Contract, ContractQuerySet
from contracts.models.regime import KPI_MINIMUM, KPI_VALUE
from performance.models import Kpi, KpiResult, Milestone, MiReport
from performance.periods import RESULT_DUE_DAYS, Period, periods_between

# The Procurement Act 2023, section 52: a contract worth more than £5m has at least three KPIs,
# published (which contracts it reaches: Contract.objects.needing_three_kpis()).
PUBLISHED_KPI_VALUE = KPI_VALUE
PUBLISHED_KPI_MINIMUM = KPI_MINIMUM

# Each list on the task page shows this many rows at most (the Procurement Unit sees every active contract).
TASK_LIMIT = 50
# A missing result whose due date is older than this is history, not today's work (as the KPI reminder job).
TASK_HORIZON = timedelta(days=365)


# --- Scope ------------------------------------------------------------------------------


def late_mi_reports(reports: QuerySet[MiReport], *, today: date) -> QuerySet[MiReport]:
    """Expected by a date that has passed, and not received."""
    return reports.filter(received_on__isnull=True, expected_by__lt=today)


def overdue_milestones(milestones: QuerySet[Milestone], *, today: date) -> QuerySet[Milestone]:
    """Still scheduled after their due date."""
    return milestones.filter(status=Milestone.Status.SCHEDULED, due_date__lt=today)


# --- The OCO's task list ------------------------------------------------------------------


@dataclass(frozen=True)
class ResultTask:
    kpi: Kpi
    period: Period

    @property
    def contract(self) -> Contract:
        return self.kpi.contract

    @property
    def due_on(self) -> date:
        return self.period.due_on


@dataclass
class TaskList:
    """One section of the task page: the first TASK_LIMIT rows and how many there are in all."""

    rows: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass
class PerformanceTasks:
    today: date
    results_overdue: TaskList
    results_due: TaskList
    late_mi_reports: TaskList
    overdue_milestones: TaskList

    @property
    def total(self) -> int:
        return sum(
            section.total
            for section in (self.results_overdue, self.results_due, self.late_mi_reports, self.overdue_milestones)
        )


def _limited(rows: list) -> TaskList:
    return TaskList(rows=rows[:TASK_LIMIT], total=len(rows))


def result_periods(kpis: Iterable[tuple], *, today: date) -> list[tuple]:
    """Each row of `kpis`, (KPI id, start date, frequency, last day, contract reference, name), as
    (KPI id, contract reference, name, periods): its periods that have ended and whose result is due
    within the horizon, oldest first, each as (due on, period). A period's result is due by
    `period.due_on`, overdue after it."""
    oldest = today - TASK_HORIZON
    # Walked from the horizon (periods ending since `oldest` less the days a result is due in), not
    # from each KPI's start: a contract's tenth year costs what its first did. The KPIs of a contract
    # mostly share their dates, so each walk is done once per (start, frequency, last day).
    since = oldest - timedelta(days=RESULT_DUE_DAYS)

    @cache
    def listed(start: date, frequency: str, until: date) -> list[tuple[date, Period]]:
        return [
            (period.due_on, period)
            for period in periods_between(start=start, frequency=frequency, until=until, since=since)
            if period.end < today and period.due_on >= oldest
        ]

    return [
        (pk, reference, name, listed(start, frequency, min(today, last_day)))
        for pk, start, frequency, last_day, reference, name in kpis
    ]


def missing_results(kpis: list[tuple], recorded: set[tuple[int, date]]) -> list[tuple]:
    """The periods of `result_periods` without a recorded (KPI id, period start), as (due on, contract
    reference, KPI name, KPI id, period), oldest due date first."""
    missing = [
        (due_on, reference, name, pk, period)
        for pk, reference, name, periods in kpis
        for due_on, period in periods
        if (pk, period.start) not in recorded
    ]
    missing.sort(key=lambda row: row[:4])
    return missing


def _result_tasks(rows: list[tuple], kpis: dict[int, Kpi]) -> TaskList:
    return TaskList(
        rows=[ResultTask(kpi=kpis[pk], period=period) for *_, pk, period in rows[:TASK_LIMIT]], total=len(rows)
    )


def _task_list(rows: QuerySet) -> TaskList:
    """The first TASK_LIMIT rows, and how many there are: counted by a second query only when the
    first page is full."""
    shown = list(rows[:TASK_LIMIT])
    return TaskList(rows=shown, total=len(shown) if len(shown) < TASK_LIMIT else rows.count())


def performance_tasks(user: User, *, today: date, contracts: ContractQuerySet | None = None) -> PerformanceTasks:
    """What the user has to do across their visible active contracts (or the given ones), in a fixed
    number of queries (three for results, one or two for each of the other lists) whatever the number
    of contracts."""
    contracts = (contracts if contracts is not None else Contract.objects.visible_to(user)).active()
    kpi_scope = Kpi.objects.active().filter(contract__in=contracts, start_date__lte=today)
    # Plain rows for the walk (an OCO's hundreds of KPIs, every KPI for the Procurement Unit), in no
    # order (the rows are sorted once listed); the KPIs themselves only for the rows shown.
    kpis = kpi_scope.order_by().values_list(
        "pk", "start_date", "frequency", Coalesce("end_date", "contract__end_date"), "contract__reference", "name"
    )
    periods = result_periods(kpis, today=today)
    # Only the results of the periods listed: their starts bound the range read, which the index of
    # one_result_per_period (kpi, period_start) answers without the table. The KPIs as a subquery, not
    # a list of ids, so a long list of KPIs never meets a parameter limit.
    walks = [walk for *_, walk in periods if walk]  # each (due on, period), oldest first
    recorded = (
        set(
            KpiResult.objects.filter(
                kpi__in=kpi_scope,
                period_start__range=(min(w[0][1].start for w in walks), max(w[-1][1].start for w in walks)),
            )
            .order_by()
            .values_list("kpi_id", "period_start")
        )
        if walks
        else set()
    )
    missing = missing_results(periods, recorded)
    overdue = [row for row in missing if row[0] < today]
    due = [row for row in missing if row[0] >= today]
    shown = Kpi.objects.select_related("contract__oco").in_bulk(
        {row[3] for row in overdue[:TASK_LIMIT] + due[:TASK_LIMIT]}
    )
    reports = late_mi_reports(MiReport.objects.filter(contract__in=contracts), today=today)
    milestones = overdue_milestones(Milestone.objects.filter(contract__in=contracts), today=today)
    return PerformanceTasks(
        today=today,
        results_overdue=_result_tasks(overdue, shown),
        results_due=_result_tasks(due, shown),
        late_mi_reports=_task_list(reports.select_related("contract__oco").order_by("expected_by", "pk")),
        overdue_milestones=_task_list(milestones.select_related("contract", "owner").order_by("due_date", "pk")),
    )


def add_task_links(tasks: PerformanceTasks, *, user: User) -> None:
    """Straight to the form for someone who may act on the row; the contract's list otherwise."""
    for report in tasks.late_mi_reports.rows:
        report.action_url = (
            reverse("performance:mi_report_edit", args=[report.pk])
            if user.has_perm("performance.manage_mi_reports", report.contract)
            else reverse("performance:mi_reports", args=[report.contract_id]) + f"#mi-report-{report.pk}"
        )
    for milestone in tasks.overdue_milestones.rows:
        milestone.action_url = (
            reverse("performance:milestone_edit", args=[milestone.pk])
            if user.has_perm("performance.manage_milestones", milestone.contract)
            else reverse("performance:milestones", args=[milestone.contract_id]) + f"#milestone-{milestone.pk}"
        )


# --- The £5m published-KPI rule ---------------------------------------------------------


def _published_kpis_count() -> Count:
    return Count("kpis", filter=Q(kpis__is_active=True, kpis__is_published=True))


def contracts_short_of_published_kpis(contracts: ContractQuerySet) -> QuerySet:
    """Active contracts that section 52 reaches (under the Act, worth more than £5m, ...) with fewer
    than three active published KPIs (one query), each annotated with `published_kpis`."""
    return (
        contracts.active()
        .needing_three_kpis()
        .annotate(published_kpis=_published_kpis_count())
        .filter(published_kpis__lt=PUBLISHED_KPI_MINIMUM)
    )


def published_kpi_shortfall(contract: Contract) -> int | None:
    """How many active published KPIs the contract has when it breaks the section 52 rule, else None."""
    if contract.status != Contract.Status.ACTIVE or not contract.needs_three_kpis:
        return None  # no query for the many contracts the rule does not cover
    count = contract.kpis.filter(is_active=True, is_published=True).count()
    return count if count < PUBLISHED_KPI_MINIMUM else None
