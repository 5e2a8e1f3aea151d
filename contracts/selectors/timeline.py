"""Reading the timeline: a contract's administration log, a supplier's timeline across its contracts,
their kind filters (single kinds and groups of them) and the link of each entry to its subject."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Model, QuerySet
from django.urls import reverse

from contracts.models import Activity, Contract
from suppliers.models import Supplier

Kind = Activity.Kind

# The groups the log can be filtered by, each a set of kinds; a single kind filters too.
KIND_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "escalations": (
        "Escalations",
        (Kind.ESCALATION, Kind.ESCALATION_RAISED, Kind.ESCALATION_UPDATED, Kind.ESCALATION_RESOLVED),
    ),
    "performance": (
        "Performance",
        (
            Kind.MI_REPORT,
            Kind.MI_EVALUATION,
            Kind.MI_LATE,
            Kind.KPI_POOR_RESULT,
            Kind.KPI_OVERRIDE,
            Kind.IMPROVEMENT_PLAN,
            Kind.IMPROVEMENT_NOTICE,
            Kind.SERVICE_CREDIT,
            Kind.BREACH,
            Kind.MILESTONE_MISSED,
            Kind.SUPPLIER_SUBMISSION,
            Kind.SUPPLIER_FIGURE_ACCEPTED,
            Kind.SUPPLIER_FIGURE_QUERIED,
        ),
    ),
    "meetings": (
        "Meetings",
        (Kind.MEETING_ARRANGED, Kind.MEETING_HELD, Kind.MEETING_CANCELLED, Kind.MINUTES, Kind.MEETING_ACTION),
    ),
    "contract": (
        "The contract",
        (Kind.DOCUMENT, Kind.VARIATION, Kind.NOTICE_PUBLISHED, Kind.KRALJIC, Kind.HANDOVER, Kind.STATUS),
    ),
    "supplier": ("The supplier", (Kind.SUPPLIER_INFORMATION, Kind.SUPPLIER_EVENT, Kind.LATE_PAYMENT)),
    "notes": ("Calls and notes", (Kind.CALL, Kind.NOTE)),
}
# Supplier information is listed under the supplier, and shown with the escalations it raised too.
_ALSO_IN_GROUP = {"escalations": (Kind.SUPPLIER_INFORMATION,)}
# Addresses of the log filtered before the kinds were grouped keep working.
_OLD_FILTERS = {"meeting": "meetings"}


def kind_filter(value: str) -> str:
    """The filter asked for, if it is a group or a kind, else "" (everything)."""
    value = _OLD_FILTERS.get(value, value)
    return value if value in KIND_GROUPS or value in Kind.values else ""


def kind_filter_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """For the filter's <select>: the groups first, then each kind under its group."""
    groups = [(key, label) for key, (label, _) in KIND_GROUPS.items()]
    by_kind = [(label, [(kind, Kind(kind).label) for kind in kinds]) for _key, (label, kinds) in KIND_GROUPS.items()]
    return [("Groups", groups), *by_kind]


def kinds_of(value: str) -> tuple[str, ...]:
    """The kinds a filter value stands for (none: every kind)."""
    if value in KIND_GROUPS:
        return KIND_GROUPS[value][1] + _ALSO_IN_GROUP.get(value, ())
    return (value,) if value else ()


def filtered(activities: QuerySet, kind: str) -> QuerySet:
    kinds = kinds_of(kind)
    return activities.filter(kind__in=kinds) if kinds else activities


# --- Links to subjects --------------------------------------------------------------------

# Subjects without a page of their own link to the page that lists them on their contract.
_SUBJECT_PAGES: dict[str, Callable[[int, Model], str]] = {
    "performance.mireport": lambda contract, subject: (
        reverse("performance:mi_reports", args=[contract]) + f"#mi-report-{subject.pk}"
    ),
    "performance.milestone": lambda contract, subject: (
        reverse("performance:milestones", args=[contract]) + f"#milestone-{subject.pk}"
    ),
    "performance.performancenotice": lambda contract, subject: reverse("lifecycle:contract", args=[contract]),
    "contracts.contractdocument": lambda contract, subject: reverse(
        "contracts:document_download", args=[contract, subject.pk]
    ),
    "contracts.variation": lambda contract, subject: reverse("lifecycle:contract", args=[contract]) + "#variations",
    "contracts.contractending": lambda contract, subject: reverse("lifecycle:contract", args=[contract]) + "#ending",
    "contracts.kraljicassessment": lambda contract, subject: reverse("contracts:kraljic_history", args=[contract]),
    "suppliers.supplierinformation": lambda contract, subject: (
        reverse(
            "suppliers:detail",
            args=[subject.supplier_id],  # type: ignore[attr-defined]
        )
        + "#information"
    ),
}


def subject_url(activity: Activity) -> str:
    """The page of what the entry is about, when it still exists (subjects are prefetched)."""
    subject = activity.subject if activity.subject_id is not None else None
    if subject is None:
        return ""
    page = _SUBJECT_PAGES.get(subject._meta.label_lower)
    if page is not None:
        return page(activity.contract_id, subject)
    get_url = getattr(subject, "get_absolute_url", None)
    return get_url() if get_url is not None else ""


# --- Entries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    """One row of the log as pages and the CSV show it."""

    date: date
    kind: str
    kind_label: str
    summary: str
    details: str
    who: str  # the person, or "the system"
    url: str
    contract: Contract
    activity: Activity | None = None  # None for a meeting recorded before meetings wrote the timeline
    subject: Model | None = None


def with_subjects(activities: QuerySet) -> QuerySet:
    """What an entry shows, in a constant number of queries: one for the entries with their contract
    and author, then one for each kind of subject on the page."""
    return (
        activities.select_related("recorded_by", "contract", "contract__supplier")
        .prefetch_related("subject")
        .order_by("-occurred_on", "-recorded_at", "-pk")  # a stable order for pages
    )


def entries_of(activities: Iterable[Activity]) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            date=activity.occurred_on,
            kind=activity.kind,
            kind_label=activity.get_kind_display(),
            summary=activity.summary,
            details=activity.details,
            who=str(activity.recorded_by) if activity.recorded_by_id else "the system",
            url=subject_url(activity),
            contract=activity.contract,
            activity=activity,
            subject=activity.subject if activity.subject_id is not None else None,
        )
        for activity in activities
    ]


def contract_activities(contract: Contract, *, kind: str = "") -> QuerySet:
    """A contract's timeline entries, newest first, filtered by a kind or a group of kinds."""
    return with_subjects(filtered(Activity.objects.filter(contract=contract), kind))


def supplier_activities(supplier: Supplier, *, user, kind: str = "") -> QuerySet:
    """The timeline across a supplier's contracts, only those the user may see, newest first."""
    activities = Activity.objects.visible_to(user).filter(contract__supplier=supplier)
    return with_subjects(filtered(activities, kind))
