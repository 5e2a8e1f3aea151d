"""Lifecycle reads: the renewals list, OCO training states, and handovers."""

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from accounts.models import TrainingRecord, User
from contracts.models import Contract, ContractQuerySet, ExtensionOption, RenewalDecision
from core.formatting import long_date

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

RENEWALS_HORIZON_DAYS = 365
# OCOs are warned this many days before their training expires.
TRAINING_WARNING_DAYS = 60


# --- Renewals --------------------------------------------------------------------------------------


class RenewalDates(TypedDict):
    """What `ContractQuerySet.with_renewal_dates` adds to each contract."""

    notice_on: date
    decide_by: date
    renewal_decided: bool
    decision_overdue: bool


def renewals_due(contracts: ContractQuerySet, *, today: date) -> QuerySet:
    """Active contracts whose notice date or end date falls within the horizon, or already past their
    end date, with their decide-by dates, pending extension options and decisions: soonest notice date
    first. A renewal decision overdue shows however far its notice date has passed."""
    horizon = today + timedelta(days=RENEWALS_HORIZON_DAYS)
    return (
        contracts.active()
        .with_renewal_dates(today=today)
        .filter(Q(end_date__lte=horizon) | Q(notice_on__gte=today, notice_on__lte=horizon))
        .select_related("supplier", "oco")
        .prefetch_related(
            Prefetch(
                "extension_options",
                queryset=ExtensionOption.objects.filter(decision=ExtensionOption.Decision.PENDING).order_by(
                    "decide_by"
                ),
                to_attr="pending_options",
            ),
            Prefetch(
                "renewal_decisions",
                queryset=RenewalDecision.objects.select_related("decided_by"),
                to_attr="decisions",
            ),
        )
        .order_by("notice_on", "end_date", "reference")
    )


def renewal_urgency(contract: "WithAnnotations[Contract, RenewalDates]", today: date) -> tuple[str, str]:
    """(Bootstrap colour, words) for a contract annotated by `with_renewal_dates`: the renewals list,
    the SRO's page and the OCO's "My work"."""
    if contract.end_date < today:
        return "danger", "Past its end date"
    if contract.decision_overdue:
        return "danger", "Decision overdue"
    if contract.notice_on < today:
        return "danger", "Notice date passed"
    if (contract.notice_on - today).days <= 90:
        return "warning", "Notice date within 90 days"
    return "info", "Notice date within 12 months"


# --- Savings -------------------------------------------------------------------------------------


def savings_totals(savings) -> dict:
    """Totals of a queryset of savings: overall, by financial year and by category."""
    return {
        "total": savings.aggregate(total=Sum("amount"))["total"] or Decimal("0"),
        "by_year": list(savings.values("financial_year").annotate(total=Sum("amount")).order_by("-financial_year")),
        "by_category": list(
            savings.values("contract__category__name").annotate(total=Sum("amount")).order_by("-total")
        ),
    }


# --- Training --------------------------------------------------------------------------------------


def ocos_needing_training(*, today: date) -> QuerySet[User]:
    """Active OCOs whose commercial-awareness training is missing or expires within the warning days."""
    soon = today + timedelta(days=TRAINING_WARNING_DAYS)
    return User.objects.ocos().without_current_training(on=soon).prefetch_related("training_records")


def commercial_awareness(records) -> list[TrainingRecord]:
    """A person's commercial-awareness records, latest first."""
    return sorted(
        (r for r in records if r.course == TrainingRecord.Course.COMMERCIAL_AWARENESS),
        key=lambda r: r.completed_on,
        reverse=True,
    )


def training_expiry(records, *, today: date) -> tuple[bool, date | None]:
    """(current?, when the current training expires: None when it never does or there is none)."""
    current = [r for r in commercial_awareness(records) if r.is_current(on=today)]
    if not current:
        return False, None
    expiries = [r.expires_on for r in current]
    return True, None if None in expiries else max(e for e in expiries if e is not None)


def training_rows(*, today: date) -> list[dict]:
    """The training page: each OCO needing training, their latest record and a state in words."""
    ocos = ocos_needing_training(today=today).annotate(
        active_contracts=Count(
            "contracts_as_oco", filter=Q(contracts_as_oco__status=Contract.Status.ACTIVE), distinct=True
        )
    )
    rows = []
    for oco in ocos:
        records = commercial_awareness(oco.training_records.all())
        latest = records[0] if records else None
        current, expiry = training_expiry(records, today=today)
        if current:
            state = ("warning", f"Expires on {long_date(expiry)}" if expiry else "Current")
        elif latest:
            state = ("danger", "Expired" if latest.expires_on and latest.expires_on < today else "Not current")
        else:
            state = ("danger", "Missing")
        rows.append({"oco": oco, "latest": latest, "colour": state[0], "state": state[1]})
    return rows


# --- Handover --------------------------------------------------------------------------------------


def deactivated_owners():
    """Deactivated users still named as OCO or SRO on active contracts."""
    active = Contract.objects.active()
    return (
        User.objects.filter(is_active=False)
        .filter(Q(pk__in=active.values("oco")) | Q(pk__in=active.values("sro")))
        .order_by("last_name")
    )


def deactivated_owners_with_contracts() -> list[dict]:
    owners = list(deactivated_owners())
    if not owners:
        return []
    contracts = (
        Contract.objects.active()
        .filter(Q(oco__in=owners) | Q(sro__in=owners))
        .select_related("supplier")
        .order_by("reference")
    )
    named: dict[int, list] = {owner.pk: [] for owner in owners}
    for contract in contracts:
        for role, user_id in (("OCO", contract.oco_id), ("SRO", contract.sro_id)):
            if user_id in named:
                named[user_id].append((contract, role))
    return [
        {"user": owner, "contracts": named[owner.pk], "roles": sorted({role for _, role in named[owner.pk]})}
        for owner in owners
    ]


def recent_handovers(limit: int = 10) -> list[dict]:
    """The latest handovers, read from the contracts' history: one entry per handover, with its contracts."""
    records = (
        Contract.history.filter(history_change_reason__startswith="Handover from")
        .select_related("history_user")
        .order_by("-history_date")[:500]
    )
    handovers: list[dict] = []
    for record in records:
        key = (
            record.history_change_reason,
            record.history_user_id,
            record.history_date.replace(second=0, microsecond=0),
        )
        if handovers and handovers[-1]["key"] == key:
            handovers[-1]["contracts"].append(record)
        elif len(handovers) == limit:
            break
        else:
            handovers.append(
                {
                    "key": key,
                    "when": record.history_date,
                    "reason": record.history_change_reason,
                    "by": record.history_user,
                    "contracts": [record],
                }
            )
    return handovers
