"""The demo register's escalations: supplier information escalated through the service, as the
page does, and escalations raised by hand."""

from datetime import date, timedelta

from accounts.models import User
from contracts import services
from contracts.models import Contract, Escalation
from suppliers.models import Supplier, SupplierInformation

# supplier, recorded by, kind, category, severity, days ago, summary, source
SUPPLIER_INFORMATION = (
    (
        "Pennine Fleet Solutions Ltd",
        "oco1",
        "financial",
        "profit_warning",
        "high",
        6,
        "Profit warning: full-year profit expected to halve after the loss of two large fleet contracts",
        "Trading update to the market, reported by the account director on a call",
    ),
    (
        "Harrowgate Digital Services Ltd",
        "procurement",
        "reputational",
        "adverse_media",
        "medium",
        3,
        "National press reports a data breach at another public-sector customer of the service desk",
        "https://news.example/harrowgate-data-breach",
    ),
)

# reference, raised by, source, severity, days ago, title, details
HAND_RAISED_ESCALATIONS = (
    (
        "CON-2023-012",
        "oco1",
        "significant_performance_issue",
        "medium",
        20,
        "Cleaning missed at three custody suites for two weeks running",
        "Supplier blames staff shortages. Service credits applied but no recovery plan yet: "
        "the Procurement Unit is asked to take it up with the account director.",
    ),
    (
        "CON-2024-003",
        "oco1",
        "dispute",
        "high",
        45,
        "Dispute over late delivery of converted response vehicles",
        "Twelve vehicles are eight weeks late; the supplier disputes liability for the delay.",
    ),
)
# fmt: on


def seed_escalations(*, today: date, users: dict[str, User]) -> None:
    """Two pieces of supplier information (escalated through the service, as the page does)
    and two escalations raised by hand, one of them in progress with an owner. Once only."""
    if Escalation.objects.exists():
        return
    procurement = users["procurement"]
    for supplier, recorder, kind, category, severity, days_ago, summary, source in SUPPLIER_INFORMATION:
        information = SupplierInformation(
            supplier=Supplier.objects.get(name=supplier),
            kind=kind,
            category=category,
            severity=severity,
            occurred_on=today - timedelta(days=days_ago),
            summary=summary,
            source=source,
            recorded_by=users[recorder],
        )
        information.full_clean()
        services.supplier_information_record(information=information, by=users[recorder])
    for reference, raiser, source, severity, days_ago, title, details in HAND_RAISED_ESCALATIONS:
        escalation = Escalation(
            contract=Contract.objects.get(reference=reference),
            source=source,
            severity=severity,
            title=title,
            details=details,
            raised_on=today - timedelta(days=days_ago),
        )
        escalation.full_clean()
        services.escalation_raise(escalation=escalation, by=users[raiser])
    in_progress = Escalation.objects.get(contract__reference="CON-2024-003", supplier_information__isnull=True)
    in_progress.status = Escalation.Status.IN_PROGRESS
    in_progress.owner = procurement
    in_progress.actions = (
        "Meeting with the supplier's contracts manager booked; liquidated damages clause under review."
    )
    services.escalation_update(escalation=in_progress, by=procurement)
    # Its thread: the Procurement Unit's update and the OCO's reply.
    services.escalation_post(
        escalation=in_progress,
        by=procurement,
        text="Met the supplier's contracts manager: a recovery plan is promised by the end of the month.",
    )
    oco = in_progress.contract.oco
    if oco is not None:
        services.escalation_post(
            escalation=in_progress,
            by=oco,
            text="Response times were missed again last weekend; I have logged the calls for the service credits.",
        )
