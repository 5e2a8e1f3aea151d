"""The supplier portal's scope, written once: what a supplier's person may see. Every portal view
looks its objects up through these (an object outside them answers 404, as in the register).

The register's own scopes (`Contract.objects.visible_to`, ...) answer nothing to a supplier's person;
these answer nothing to anyone else."""

from typing import Any

from django.db.models import F, QuerySet

from contracts.models import Contract, ContractDocument, Escalation, EscalationUpdate
from meetings.models import Meeting
from performance.models import ImprovementNotice, ImprovementNoticeReply, Kpi, KpiResult, MiReport
from portal.models import Figure, Submission
from suppliers.models import Supplier

# What the supplier sees of their contracts: those in force or ended, never a draft.
SHOWN = (Contract.Status.ACTIVE, Contract.Status.EXPIRED, Contract.Status.TERMINATED)


def is_portal_user(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_supplier)


def supplier_of(user: Any) -> Supplier | None:
    """The one supplier a supplier's person belongs to (through their contact), or None."""
    if not is_portal_user(user):
        return None
    return Supplier.objects.filter(contacts__user=user).first()


def contracts(user: Any) -> QuerySet[Contract]:
    if not is_portal_user(user):
        return Contract.objects.none()
    return Contract.objects.filter(supplier__contacts__user=user, status__in=SHOWN)


def documents(user: Any) -> QuerySet[ContractDocument]:
    """The current version of each document the OCO shared with the supplier."""
    return ContractDocument.objects.filter(contract__in=contracts(user), shared_with_supplier=True, is_current=True)


def notices(user: Any) -> QuerySet[Escalation]:
    """The escalations shared with the supplier (never one that is not)."""
    return Escalation.objects.filter(contract__in=contracts(user)).exclude(supplier_notice="")


def replies(user: Any, escalation: Escalation) -> QuerySet[EscalationUpdate]:
    """Of an escalation's thread, the posts of the supplier's own people only: the force's posts are internal."""
    return escalation.updates.filter(author__supplier_contact__supplier=escalation.contract.supplier_id)


def escalation_replies(user: Any) -> QuerySet[EscalationUpdate]:
    """Their organisation's posts in the escalations shared with them (for their attachments)."""
    return EscalationUpdate.objects.filter(
        escalation__in=notices(user), author__supplier_contact__supplier=F("escalation__contract__supplier")
    )


def improvement_notices(user: Any) -> QuerySet[ImprovementNotice]:
    """The improvement notices shared with the supplier (those with a reply-by date)."""
    return ImprovementNotice.objects.filter(contract__in=contracts(user), supplier_respond_by__isnull=False)


def notice_replies(user: Any) -> QuerySet[ImprovementNoticeReply]:
    """The replies of their organisation's people to those notices."""
    return ImprovementNoticeReply.objects.filter(notice__in=improvement_notices(user))


def meetings(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(contract__in=contracts(user)).exclude(status=Meeting.Status.CANCELLED)


def kpis(user: Any) -> QuerySet[Kpi]:
    return Kpi.objects.filter(contract__in=contracts(user), is_active=True)


def results(user: Any) -> QuerySet[KpiResult]:
    """Their ratings: a result is in the register once the OCO recorded or accepted it."""
    return KpiResult.objects.filter(kpi__in=kpis(user))


def mi_reports(user: Any) -> QuerySet[MiReport]:
    return MiReport.objects.filter(contract__in=contracts(user))


def submissions(user: Any) -> QuerySet[Submission]:
    return Submission.objects.filter(mi_report__in=mi_reports(user))


def figures(user: Any) -> QuerySet[Figure]:
    return Figure.objects.filter(submission__in=submissions(user))
