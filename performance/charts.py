"""Reads behind a contract's Performance page: each KPI with its results, the periods whose result
is due or overdue, the trend-chart data and the contract's summary.

The page costs the same few queries whatever the number of KPIs and results: the KPIs, every result
of them and the people who recorded them are fetched once (one query each) and grouped here, in Python."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property, lru_cache

from django import forms
from django.db.models.base import ModelState
from django.db.models.functions import TruncDate
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString

from accounts.models import User
from contracts.models import Contract
from core.dates import add_months
from core.formatting import long_date, pounds
from core.links import url_pattern
from performance.models import ImprovementPlan, Kpi, KpiResult
from performance.periods import Period
from performance.ratings import Direction, Rating
from performance.rows import result_rows
from performance.selectors import PUBLISHED_KPI_MINIMUM

# The results table of a KPI shows the latest results; the chart and "Show the data" show them all.
RECENT_RESULTS = 12
# The summary counts the results of the periods that ended in the last twelve months.
SUMMARY_MONTHS = 12
# Missing results shown straight away on a KPI; older gaps wait behind "earlier periods".
DUE_SHOWN = 3

RESULT_FIELDS = (
    "kpi_id",
    "period_start",
    "period_end",
    "actual",
    "commentary",
    "evidence",
    "evidence_name",
    "rating",
    "rating_override",
    "override_reason",
    "recorded_by_id",
)

# The day a result was last changed, in local time (its details say so), rather than the timestamp: dates
# are read far faster than times with their zone, on hundreds of rows.
RESULT_COLUMNS = ("id", *RESULT_FIELDS, "updated_day")
KPI, RECORDED_BY = RESULT_COLUMNS.index("kpi_id"), RESULT_COLUMNS.index("recorded_by_id")

UNIT_SUFFIX: dict[str, str] = {Kpi.Unit.PERCENTAGE: "%", Kpi.Unit.DAYS: " days", Kpi.Unit.HOURS: " hours"}
UNIT_AXIS: dict[str, str] = {
    Kpi.Unit.PERCENTAGE: "Per cent",
    Kpi.Unit.COUNT: "Count",
    Kpi.Unit.DAYS: "Days",
    Kpi.Unit.HOURS: "Hours",
    Kpi.Unit.POUNDS: "Pounds (£)",
    Kpi.Unit.YES_NO: "",
}


# --- Words and numbers as people read them ---------------------------------------------------------


def _number(value: Decimal) -> str:
    """97.50 -> "97.5", 100.00 -> "100", 1250 -> "1,250"."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value.normalize():,f}"


def format_value(kpi: Kpi, value: Decimal | None) -> str:
    if value is None:
        return "—"
    return _formatted(kpi.unit, value)


@lru_cache(maxsize=8192)  # equal values read the same (97.50 as 97.5), so each is worked out once
def _formatted(unit: str, value: Decimal) -> str:
    if unit == Kpi.Unit.YES_NO:
        return "Yes" if value == 1 else "No"
    if unit == Kpi.Unit.POUNDS:
        return pounds(value)
    suffix = UNIT_SUFFIX.get(unit, "")
    if suffix and value == 1:
        suffix = suffix.rstrip("s")  # 1 day, 1 hour
    return f"{_number(value)}{suffix}"


def unit_suffix(kpi: Kpi) -> str:
    """What follows the number in the result field: "%", "days", "£" goes before (see the template)."""
    suffixes: dict[str, str] = {Kpi.Unit.PERCENTAGE: "%", Kpi.Unit.DAYS: "days", Kpi.Unit.HOURS: "hours"}
    return suffixes.get(kpi.unit, "")


def rule_text(kpi: Kpi) -> str:
    """How a result is rated, in one sentence: "Target at least 95%; Approaching target from 90%; ..."."""
    if kpi.unit == Kpi.Unit.YES_NO:
        return f"Target: {format_value(kpi, kpi.target)}."
    fmt = lambda value: format_value(kpi, value)  # noqa: E731
    if kpi.direction == Direction.HIGHER:
        parts = [f"Target at least {fmt(kpi.target)}"]
        if kpi.tolerance:
            parts.append(f"Approaching target from {fmt(kpi.target - kpi.tolerance)}")
        parts.append(f"Inadequate below {fmt(kpi.inadequate_threshold)}")
    else:
        parts = [f"Target at most {fmt(kpi.target)}"]
        if kpi.tolerance:
            parts.append(f"Approaching target up to {fmt(kpi.target + kpi.tolerance)}")
        parts.append(f"Inadequate above {fmt(kpi.inadequate_threshold)}")
    return "; ".join(parts) + "."


def _is_month_start(day: date) -> bool:
    return day.day == 1


def _is_month_end(day: date) -> bool:
    return add_months(day.replace(day=1), 1).toordinal() - 1 == day.toordinal()


@lru_cache(maxsize=8192)  # the same few hundred periods come back on every page
def period_label(start: date, end: date) -> str:
    """April 2026; Apr – Jun 2026; Oct 2026 – Mar 2027; 15 Jan – 14 Feb 2026."""
    if _is_month_start(start) and _is_month_end(end):
        if (start.year, start.month) == (end.year, end.month):
            return date_format(start, "F Y")
        if start.year == end.year:
            return f"{date_format(start, 'M')} – {date_format(end, 'M Y')}"
        return f"{date_format(start, 'M Y')} – {date_format(end, 'M Y')}"
    if start.year == end.year:
        return f"{date_format(start, 'j M')} – {long_date(end)}"
    return f"{long_date(start)} – {long_date(end)}"


@lru_cache(maxsize=8192)
def _short_label(start: date) -> str:
    return date_format(start, "M Y") if start.day == 1 else long_date(start)


# --- A period whose result is due, and a KPI with everything the page shows of it -------------------


@dataclass
class DueRow:
    """A period of a KPI without a result: its inline form, or the result just recorded for it."""

    kpi: Kpi
    start: date
    period: Period | None
    today: date
    form: forms.BaseForm | None = None  # a bound form with errors, when a post was refused
    result: KpiResult | None = None  # the result just recorded

    @property
    def dom_id(self) -> str:
        return f"due-{self.kpi.pk}-{self.start:%Y%m%d}"

    @property
    def label(self) -> str:
        return period_label(self.period.start, self.period.end) if self.period else long_date(self.start)

    @property
    def due_on(self) -> date | None:
        return self.period.due_on if self.period else None

    @property
    def is_overdue(self) -> bool:
        return self.period is not None and self.period.due_on < self.today

    @property
    def errors(self) -> dict[str, str]:
        """The refused form's errors by field, each as one sentence (templates read row.errors.actual)."""
        if self.form is None:
            return {}
        return {name: " ".join(str(e) for e in errors) for name, errors in self.form.errors.items()}

    @property
    def non_field_error(self) -> str:
        return self.errors.get("__all__", "")

    @property
    def values(self) -> dict[str, str]:
        """What was posted, to show again beside the errors."""
        return {} if self.form is None else {name: self.form.data.get(name, "") for name in ("actual", "commentary")}


@dataclass
class KpiPanel:
    kpi: Kpi
    results: list[KpiResult]  # oldest first
    due: list[DueRow]  # newest first
    today: date
    editing: tuple | None = None  # (result pk, "correct" or "override", form)
    plans: list = field(default_factory=list)  # its improvement plans, newest first
    record_error: object = None  # a refused form whose period is not among the due rows

    @property
    def latest(self) -> KpiResult | None:
        return self.results[-1] if self.results else None

    @cached_property
    def recent(self) -> list[KpiResult]:
        return result_rows(self.kpi, self.results[::-1][:RECENT_RESULTS])

    @property
    def recent_rows(self) -> SafeString:
        """The latest results' rows with their actions, for someone who may record (none being edited)."""
        return SafeString("\n".join(result.row for result in self.recent))

    @property
    def recent_rows_readonly(self) -> SafeString:
        return SafeString("\n".join(result.row_readonly for result in self.recent))

    @property
    def due_first(self) -> list[DueRow]:
        return self.due[:DUE_SHOWN]

    @property
    def due_earlier(self) -> list[DueRow]:
        return self.due[DUE_SHOWN:]

    @property
    def overdue_count(self) -> int:
        return sum(1 for row in self.due if row.is_overdue and row.result is None)

    @property
    def due_count(self) -> int:
        return sum(1 for row in self.due if not row.is_overdue and row.result is None)

    @cached_property
    def rule_text(self) -> str:
        return rule_text(self.kpi)

    @property
    def edit_url(self) -> str:
        return url_pattern("performance:kpi_edit").for_pk(self.kpi.pk)

    @property
    def history_url(self) -> str:
        return url_pattern("performance:kpi_history").for_pk(self.kpi.pk)

    @property
    def unit_suffix(self) -> str:
        return unit_suffix(self.kpi)

    @property
    def is_yes_no(self) -> bool:
        return self.kpi.unit == Kpi.Unit.YES_NO

    @property
    def is_pounds(self) -> bool:
        return self.kpi.unit == Kpi.Unit.POUNDS

    @property
    def editing_pk(self) -> int | None:
        return self.editing[0] if self.editing else None

    @property
    def editing_mode(self) -> str:
        return self.editing[1] if self.editing else ""

    @property
    def editing_form(self):
        return self.editing[2] if self.editing else None

    @cached_property
    def kpi_pk(self) -> str:
        """The KPI's pk as text, for the panel's element ids (a number in a template is localized each time)."""
        return str(self.kpi.pk)

    @property
    def chart_json_id(self) -> str:
        return f"kpi-{self.kpi.pk}-chart-json"

    @property
    def chart(self) -> dict:
        """The trend chart's data (performance.js): every result against the target and threshold."""
        kpi = self.kpi
        return {
            "name": kpi.name,
            "axis": UNIT_AXIS.get(kpi.unit, ""),
            "labels": [_short_label(r.period_start) for r in self.results],
            "periods": [r.label for r in self.results],
            "actual": [float(r.actual) for r in self.results],
            "display": [r.display_actual for r in self.results],
            "ratings": [r.get_effective_rating_display() for r in self.results],
            "ratingKeys": [r.effective_rating for r in self.results],
            "target": float(kpi.target),
            "targetLabel": f"Target ({format_value(kpi, kpi.target)})",
            "threshold": None if kpi.unit == Kpi.Unit.YES_NO else float(kpi.inadequate_threshold),
            "thresholdLabel": (
                f"Inadequate {'below' if kpi.direction == Direction.HIGHER else 'above'} "
                f"{format_value(kpi, kpi.inadequate_threshold)}"
            ),
            "percentage": kpi.unit == Kpi.Unit.PERCENTAGE,
            "unit": kpi.unit,
        }


def decorate(kpi: Kpi, result: KpiResult) -> KpiResult:
    result.label = period_label(result.period_start, result.period_end)
    result.display_actual = format_value(kpi, result.actual)
    return result


def kpi_panel(kpi: Kpi, results: list[KpiResult], *, today: date, hide_due: bool = False) -> KpiPanel:
    """Group one KPI's results (oldest first) and find its periods that are due or overdue: ended,
    without a result. An inactive KPI is no longer measured, so it asks for nothing."""
    for result in results:
        decorate(kpi, result)
    recorded = {result.period_start for result in results}
    due = []
    if kpi.is_active and not hide_due:
        due = [
            DueRow(kpi=kpi, start=period.start, period=period, today=today)
            for period in reversed(kpi.periods(until=today))
            if period.end < today and period.start not in recorded
        ]
    return KpiPanel(kpi=kpi, results=results, due=due, today=today)


# --- The page ------------------------------------------------------------------------------------


@dataclass
class RatingCount:
    rating: str
    label: str
    count: int


@dataclass
class PerformancePage:
    contract: Contract
    panels: list[KpiPanel]
    today: date
    errors: list = field(default_factory=list)

    def panel_for(self, kpi_pk: int) -> KpiPanel:
        return next(panel for panel in self.panels if panel.kpi.pk == kpi_pk)

    @property
    def summary_since(self) -> date:
        return add_months(self.today, -SUMMARY_MONTHS)

    @cached_property  # read three times by the summary
    def rating_counts(self) -> list[RatingCount]:
        since = self.summary_since
        counts = dict.fromkeys(Rating.values, 0)
        for panel in self.panels:
            for result in panel.results:
                if result.period_end >= since:
                    counts[result.effective_rating] += 1
        return [RatingCount(rating=value, label=Rating(value).label, count=counts[value]) for value in Rating.values]

    @property
    def summary_count(self) -> int:
        return sum(row.count for row in self.rating_counts)

    @property
    def summary_chart(self) -> dict:
        rows = self.rating_counts
        return {
            "labels": [row.label for row in rows],
            "ratingKeys": [row.rating for row in rows],
            "counts": [row.count for row in rows],
        }

    @property
    def overdue_count(self) -> int:
        return sum(panel.overdue_count for panel in self.panels)

    @property
    def due_count(self) -> int:
        return sum(panel.due_count for panel in self.panels)

    @property
    def published_count(self) -> int:
        return sum(1 for panel in self.panels if panel.kpi.is_active and panel.kpi.is_published)

    @property
    def published_minimum(self) -> int:
        return PUBLISHED_KPI_MINIMUM

    @property
    def published_flag(self) -> bool:
        """The Procurement Act 2023 asks for at least three published KPIs on the contracts section 52
        reaches (the same rule as selectors.contracts_short_of_published_kpis: active contracts)."""
        return (
            self.contract.status == Contract.Status.ACTIVE
            and self.contract.needs_three_kpis
            and self.published_count < PUBLISHED_KPI_MINIMUM
        )


def contract_performance(contract: Contract, *, today: date) -> PerformancePage:
    """Every KPI of the contract (active ones first) with all its results and improvement plans,
    grouped here: four queries (KPIs, results, the people who recorded them, plans) whatever their number."""
    kpis = list(contract.kpis.order_by("-is_active", "name", "pk"))
    by_kpi: dict[int, list[KpiResult]] = {kpi.pk: [] for kpi in kpis}
    results = KpiResult.objects.filter(kpi__in=kpis).order_by("period_start")
    rows = list(results.values_list("id", *RESULT_FIELDS, TruncDate("updated_at"))) if kpis else []
    # The few people who recorded them, once each, rather than a copy of one on each of hundreds of rows.
    people = User.objects.in_bulk({row[RECORDED_BY] for row in rows}) if rows else {}
    plans: dict[int, list[ImprovementPlan]] = {kpi.pk: [] for kpi in kpis}  # every plan here has a KPI
    for plan in ImprovementPlan.objects.filter(kpi__in=kpis).select_related("owner").order_by("-pk") if kpis else []:
        plans[plan.kpi_id or 0].append(plan)
    kpi_by_pk = {kpi.pk: kpi for kpi in kpis}
    for row in rows:
        by_kpi[row[KPI]].append(_result(row, kpi_by_pk[row[KPI]], people[row[RECORDED_BY]], db=results.db))
    panels = []
    for kpi in kpis:
        panels.append(kpi_panel(kpi, by_kpi[kpi.pk], today=today))
        panels[-1].plans = plans[kpi.pk]
    return PerformancePage(contract=contract, panels=panels, today=today)


def _result(row: tuple, kpi: Kpi, recorded_by: User, *, db: str) -> KpiResult:
    """A result as `.only(*RESULT_FIELDS)` would load it (with `updated_day`), its KPI and recorder already
    known: its fields put straight into the instance, as Model.from_db does, without the per-field
    descriptor calls of Model.__init__ (milliseconds on the hundreds of results of a long-running contract)."""
    result = KpiResult.__new__(KpiResult)
    result.__dict__.update(zip(RESULT_COLUMNS, row, strict=True))
    state = result._state = ModelState()
    state.adding, state.db = False, db
    state.fields_cache = {"kpi": kpi, "recorded_by": recorded_by}
    return result
