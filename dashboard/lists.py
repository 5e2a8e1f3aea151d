"""The lists behind the dashboard panels: each panel's figure links to its list, which shows
the same rows page by page and exports them as CSV or XLSX with the same filters."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.db.models import Count, F, Q, QuerySet
from django.http import QueryDict
from django.urls import reverse

from contracts.exports import person_name
from contracts.models import Contract, Escalation
from dashboard import selectors
from meetings.schedule import CADENCE_MONTHS, Cadence, Lateness
from performance.models import KpiRatings


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[Any], Any]
    kind: str = "text"  # text, money, number, date, lateness (a meeting's "Late" or "Arranged late" tag)
    link: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class PanelList:
    slug: str
    title: str
    description: str
    rows: Callable[..., QuerySet]
    columns: list[Column]
    # The extra query parameters this list understands, with their allowed values and labels.
    choices: dict[str, dict[str, str]] = field(default_factory=dict)
    title_for: Callable[[dict], str] | None = None

    def params(self, data: QueryDict) -> dict[str, str]:
        """The list's own parameters from the query string; an unknown value is ignored."""
        return {name: str(data[name]) for name, allowed in self.choices.items() if data.get(name) in allowed}

    def heading(self, params: dict[str, str]) -> str:
        return self.title_for(params) if self.title_for else self.title


def _contract_link(obj) -> str:
    return reverse("contracts:detail", args=[obj.pk])


CONTRACT_COLUMNS = [
    Column("Reference", lambda c: c.reference, link=_contract_link),
    Column("Title", lambda c: c.title),
    Column("Supplier", lambda c: c.supplier.name),
    Column("Category", lambda c: c.category.name),
    Column("OCO", lambda c: person_name(c.oco)),
    Column("SRO", lambda c: person_name(c.sro)),
    Column("Status", lambda c: c.get_status_display()),
    Column("Kraljic quadrant", lambda c: c.get_kraljic_quadrant_display() or "Not assessed"),
    Column("End date", lambda c: c.end_date, kind="date"),
    Column("Total value (£)", lambda c: c.total_value, kind="money"),
    Column("Annual value (£)", lambda c: c.annual_value, kind="money"),
]


# Annotated querysets go through too, and keep their annotations.
_QS = TypeVar("_QS", bound=QuerySet)


def _contract_rows(queryset: _QS) -> _QS:
    return queryset.select_related("supplier", "category", "oco", "sro")


STATUS_CHOICES = dict(Contract.Status.choices)
BAND_CHOICES = {name: f"{start} to {end} months" for name, start, end in selectors.BANDS}


def _contracts(contracts, *, today, params):
    if "status" in params:
        contracts = contracts.filter(status=params["status"])
    return _contract_rows(contracts).order_by("end_date", "reference")


def _contracts_title(params) -> str:
    return f"{STATUS_CHOICES[params['status']]} contracts" if "status" in params else "All contracts"


def _poor(contracts, *, today, params):
    # Each contract's stored KPI counts by latest rating (KpiRatings): a row per contract, not its KPIs.
    return (
        _contract_rows(contracts.active().filter(KpiRatings.poor("kpi_ratings__")))
        .annotate(inadequate=F("kpi_ratings__inadequate"), requires_improvement=F("kpi_ratings__requires_improvement"))
        .order_by("-inadequate", "-requires_improvement", "reference")
    )


def _band(params) -> str:
    return params.get("band", "0-3")


def _expiring(contracts, *, today, params):
    first, after = selectors.band_dates(_band(params), today=today)
    return _contract_rows(contracts.active().filter(end_date__gte=first, end_date__lt=after)).order_by(
        "end_date", "reference"
    )


def _notice(contracts, *, today, params):
    first, after = selectors.band_dates(_band(params), today=today)
    return (
        _contract_rows(selectors.with_notice_date(contracts.active()))
        .filter(notice_on__gte=first, notice_on__lt=after)
        .order_by("notice_on", "reference")
    )


def _past_end(contracts, *, today, params):
    return _contract_rows(contracts.active().filter(end_date__lt=today)).order_by("end_date", "reference")


def _arrange_by_passed(contracts, *, today, params):
    return _contract_rows(selectors.arrange_by_passed(contracts, today=today)).order_by("last_meeting_on", "reference")


def _arrange_by_of(contract) -> date | None:
    months = CADENCE_MONTHS.get(Cadence(contract.cadence)) if contract.cadence in Cadence.values else None
    return selectors.arrange_by_date(contract.last_meeting_on, months) if months else None


def _meeting_rows(queryset):
    return queryset.select_related("contract__oco", "contract__supplier")


def _meeting_link(meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


MEETING_COLUMNS = [
    Column("Date", lambda m: m.local_date, kind="date", link=_meeting_link),
    Column("Contract", lambda m: m.contract.reference),
    Column("Contract title", lambda m: m.contract.title),
    Column("Supplier", lambda m: m.contract.supplier.name),
    Column("OCO", lambda m: person_name(m.contract.oco)),
    Column("Kind", lambda m: m.get_kind_display()),
    Column("Status", lambda m: m.get_status_display()),
    # Meeting.lateness reads the row's own fields: no query per meeting.
    Column("Late or arranged late", lambda m: m.get_lateness_display() if m.lateness else "", kind="lateness"),
]


LATENESS_CHOICES = {str(value): str(label) for value, label in Lateness.choices if value}


def _arranged_late(contracts, *, today, params):
    meetings = selectors.meetings_arranged_late(contracts, today=today, lateness=params.get("lateness", ""))
    return _meeting_rows(meetings).order_by("-starts_at", "pk")


def _escalation_link(escalation) -> str:
    return reverse("escalations:detail", args=[escalation.pk])


def _open_escalations(contracts, *, today, params):
    escalations = selectors.open_escalations(contracts)
    for name in ("source", "severity"):
        if name in params:
            escalations = escalations.filter(**{name: params[name]})
    return escalations.select_related("contract__supplier", "owner").order_by("raised_on", "pk")


def _escalations_title(params) -> str:
    parts = [
        dict(Escalation.Source.choices)[params["source"]] if "source" in params else "",
        dict(Escalation.Severity.choices)[params["severity"]].lower() + " severity" if "severity" in params else "",
    ]
    detail = ", ".join(part for part in parts if part)
    return f"Open escalations: {detail}" if detail else "Open escalations"


def _ocos_without_training(contracts, *, today, params):
    return (
        selectors.ocos_without_training(contracts, today=today)
        .annotate(contracts_count=Count("contracts_as_oco", filter=Q(contracts_as_oco__in=contracts.active())))
        .order_by("last_name", "first_name", "pk")
    )


def _savings(contracts, *, today, params):
    return selectors.savings_this_year(contracts, today=today).select_related("contract", "validated_by")


def _strategic_without_sro(contracts, *, today, params):
    return _contract_rows(selectors.strategic_without_sro(contracts)).order_by("reference")


def _sro_not_budget_holder(contracts, *, today, params):
    return _contract_rows(selectors.sro_not_budget_holder(contracts)).order_by("reference")


def _without_oco(contracts, *, today, params):
    return _contract_rows(selectors.without_oco(contracts)).order_by("reference")


LISTS: dict[str, PanelList] = {
    item.slug: item
    for item in [
        PanelList(
            "contracts",
            "Contracts",
            "The contracts of the portfolio, soonest ending first.",
            _contracts,
            CONTRACT_COLUMNS,
            choices={"status": STATUS_CHOICES},
            title_for=_contracts_title,
        ),
        PanelList(
            "poor-performance",
            "Contracts with poor performance",
            "Active contracts with a KPI whose latest result is rated Requires improvement or Inadequate.",
            _poor,
            [
                *CONTRACT_COLUMNS[:6],
                Column("KPIs Inadequate", lambda c: c.inadequate, kind="number"),
                Column("KPIs Requires improvement", lambda c: c.requires_improvement, kind="number"),
                Column("Total value (£)", lambda c: c.total_value, kind="money"),
            ],
        ),
        PanelList(
            "expiring",
            "Contracts ending",
            "Active contracts whose end date falls in the band.",
            _expiring,
            CONTRACT_COLUMNS,
            choices={"band": BAND_CHOICES},
            title_for=lambda p: f"Contracts ending in {BAND_CHOICES[_band(p)]}",
        ),
        PanelList(
            "notice",
            "Contracts reaching their notice date",
            "Active contracts whose last day to give notice (the end date less the notice period) falls in the band.",
            _notice,
            [*CONTRACT_COLUMNS[:6], Column("Notice date", lambda c: c.notice_on, kind="date"), *CONTRACT_COLUMNS[8:]],
            choices={"band": BAND_CHOICES},
            title_for=lambda p: f"Contracts reaching their notice date in {BAND_CHOICES[_band(p)]}",
        ),
        PanelList(
            "past-end",
            "Contracts past their end date still active",
            "Active on the register although their end date has passed: end, extend or vary them.",
            _past_end,
            CONTRACT_COLUMNS,
        ),
        PanelList(
            "arrange-by-passed",
            "Meetings not arranged in time",
            "Active contracts whose next face-to-face meeting should have been arranged (six months ahead) and is not.",
            _arrange_by_passed,
            [
                *CONTRACT_COLUMNS[:6],
                Column("Cadence", lambda c: Cadence(c.cadence).label),
                Column("Last meeting (or start)", lambda c: c.last_meeting_on, kind="date"),
                Column("Arrange by", _arrange_by_of, kind="date"),
            ],
        ),
        PanelList(
            "short-notice-meetings",
            "Short-notice meetings in the last 12 months",
            "Face-to-face meetings arranged less than six months before they took place.",
            lambda contracts, *, today, params: _meeting_rows(
                selectors.short_notice_meetings(contracts, today=today)
            ).order_by("-starts_at", "pk"),
            [
                *MEETING_COLUMNS,
                Column("Arranged on", lambda m: m.arranged_on, kind="date"),
                Column("Lead time (days)", lambda m: m.lead_time_days, kind="number"),
                Column("Reason", lambda m: m.short_notice_reason),
            ],
        ),
        PanelList(
            "meetings-arranged-late",
            "Meetings late or arranged late",
            "Face-to-face meetings of the last 12 months and ahead dated after they were due (late), or recorded "
            "after their arrange-by date, six months before they were due (arranged late).",
            _arranged_late,
            [
                *MEETING_COLUMNS,
                Column("Due by", lambda m: m.due_on, kind="date"),
                Column("Arrange by", lambda m: m.arrange_by, kind="date"),
                Column("Arranged on", lambda m: m.arranged_on, kind="date"),
            ],
            choices={"lateness": LATENESS_CHOICES},
            title_for=lambda p: (
                f"Meetings {LATENESS_CHOICES[p['lateness']].lower()}"
                if "lateness" in p
                else "Meetings late or arranged late"
            ),
        ),
        PanelList(
            "meetings-without-minutes",
            "Meetings without minutes",
            "Held meetings with neither minutes written nor a minutes file.",
            lambda contracts, *, today, params: _meeting_rows(selectors.meetings_without_minutes(contracts)).order_by(
                "-starts_at", "pk"
            ),
            MEETING_COLUMNS,
        ),
        PanelList(
            "overdue-actions",
            "Overdue meeting actions",
            "Actions agreed at supplier meetings, past their due date and not done.",
            lambda contracts, *, today, params: (
                selectors.overdue_actions(contracts, today=today)
                .select_related("meeting__contract", "owner")
                .order_by("due_date", "pk")
            ),
            [
                Column("Due", lambda a: a.due_date, kind="date", link=lambda a: _meeting_link(a.meeting)),
                Column("Action", lambda a: a.description),
                Column("Owner", lambda a: person_name(a.owner)),
                Column("Contract", lambda a: a.meeting.contract.reference),
                Column("Contract title", lambda a: a.meeting.contract.title),
                Column("Meeting", lambda a: a.meeting.local_date, kind="date"),
            ],
        ),
        PanelList(
            "strategic-without-sro",
            "Strategic contracts without an SRO",
            "Active strategic contracts need a Senior Representative Owner.",
            _strategic_without_sro,
            CONTRACT_COLUMNS,
        ),
        PanelList(
            "sro-not-budget-holder",
            "Strategic contracts whose SRO is not a budget holder",
            "The SRO of a strategic contract must be a budget holder (and still with the force).",
            _sro_not_budget_holder,
            CONTRACT_COLUMNS,
        ),
        PanelList(
            "without-oco",
            "Contracts without an OCO",
            "Every active contract needs an Operational Contract Owner.",
            _without_oco,
            CONTRACT_COLUMNS,
        ),
        PanelList(
            "ocos-without-training",
            "OCOs without current commercial-awareness training",
            "OCOs named on active contracts with no current commercial-awareness training record.",
            _ocos_without_training,
            [
                Column("Name", lambda u: str(u)),
                Column("Job title", lambda u: u.job_title),
                Column("E-mail", lambda u: u.email),
                Column("Active contracts", lambda u: u.contracts_count, kind="number"),
            ],
        ),
        PanelList(
            "open-escalations",
            "Open escalations",
            "Escalations open or in progress, oldest first.",
            _open_escalations,
            [
                Column("Raised on", lambda e: e.raised_on, kind="date", link=_escalation_link),
                Column("Contract", lambda e: e.contract.reference),
                Column("Supplier", lambda e: e.contract.supplier.name),
                Column("Title", lambda e: e.title),
                Column("Source", lambda e: e.get_source_display()),
                Column("Severity", lambda e: e.get_severity_display()),
                Column("Status", lambda e: e.get_status_display()),
                Column("Respond by", lambda e: e.respond_by, kind="date"),
                Column("Overdue", lambda e: "Overdue" if e.is_overdue else ""),
                Column("Owner", lambda e: person_name(e.owner)),
            ],
            choices={"source": dict(Escalation.Source.choices), "severity": dict(Escalation.Severity.choices)},
            title_for=_escalations_title,
        ),
        PanelList(
            "savings",
            "Savings this financial year",
            "Savings achieved in the current financial year (April to March).",
            _savings,
            [
                Column("Achieved on", lambda s: s.achieved_on, kind="date"),
                Column("Contract", lambda s: s.contract.reference, link=lambda s: _contract_link(s.contract)),
                Column("Contract title", lambda s: s.contract.title),
                Column("Kind", lambda s: s.get_kind_display()),
                Column("Amount (£)", lambda s: s.amount, kind="money"),
                Column("Contract value (£)", lambda s: s.contract.total_value, kind="money"),
                Column("Description", lambda s: s.description),
                Column("Validated by", lambda s: person_name(s.validated_by)),
            ],
        ),
    ]
}
