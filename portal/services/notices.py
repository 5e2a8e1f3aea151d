"""Notices shared with the supplier, which their people read on the portal and answer (text and an
attachment) by a reply-by date.

Escalations: the contract's OCO or the Procurement Unit writes what the supplier is told and the date to
reply by; the reply is a post in the escalation's thread. The rest of the escalation (its details,
actions, status and the force's own posts) is never shown to them.

Improvement notices: the OCO or the Procurement Unit shares one (its failure, required action and cure
period are the notice the supplier was given; its plan and outcome notes stay internal), with a reply-by
date that defaults to the cure period's end. A reply after that date is accepted and marked late: the
notice is formal, so an answer is never refused, but the OCO sees that it came late."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts import roles
from accounts.models import User
from contracts.documents import validate_document
from contracts.models import Activity, Contract, Escalation, EscalationUpdate
from contracts.services.escalations import escalation_post
from contracts.services.timeline import timeline_record
from core.audit import history_user_set
from core.formatting import long_date
from notifications.models import Kind
from notifications.services import notify
from performance.models import ImprovementNotice, ImprovementNoticeReply


@transaction.atomic
def escalation_share(*, escalation: Escalation, notice: str, respond_by: date, by: User) -> Escalation:
    """Share the escalation with the supplier: their people are told, once for each time it is shared."""
    if not notice.strip():
        raise ValidationError({"supplier_notice": "Write what the supplier is told."})
    escalation = Escalation.objects.select_for_update(of=("self",)).select_related("contract").get(pk=escalation.pk)
    escalation.supplier_notice, escalation.supplier_respond_by = notice.strip(), respond_by
    history_user_set(escalation, by)
    escalation.save(update_fields=["supplier_notice", "supplier_respond_by"])
    contract = escalation.contract
    timeline_record(
        contract=contract,
        kind=Activity.Kind.ESCALATION_UPDATED,
        summary=f"{escalation.title}: shared with the supplier, reply by {long_date(respond_by)}",
        details=escalation.supplier_notice,
        subject=escalation,
        by=by,
    )
    _tell_supplier(
        contract,
        title=f"{contract.reference}: {escalation.title}: please reply by {long_date(respond_by)}",
        body=escalation.supplier_notice,
        url=reverse("portal:notice", args=[escalation.pk]),
    )
    return escalation


def _tell_supplier(contract: Contract, *, title: str, body: str, url: str) -> None:
    """Each active person of the contract's supplier, once."""
    for person in User.objects.filter(supplier_contact__supplier=contract.supplier_id, is_active=True):
        notify(recipient=person, kind=Kind.SUPPLIER_NOTICE, title=title[:255], body=body, url=url)


@transaction.atomic
def notice_reply(*, escalation: Escalation, by: User, text: str, attachment=None) -> EscalationUpdate:
    """The supplier's reply: a post in the escalation's thread, on the timeline; the OCO and whoever handles
    the escalation are told."""
    if not text.strip():
        raise ValidationError({"text": "Write your reply."})
    if not escalation.supplier_notice:
        raise ValidationError("This escalation is not shared with you.")
    try:
        # escalation_post writes the timeline ("Escalation updated", with the supplier's person as author).
        return escalation_post(escalation=escalation, by=by, text=text, attachment=attachment)
    except ValidationError as error:
        raise ValidationError({"attachment": error.messages}) from error


@transaction.atomic
def improvement_notice_share(*, notice: ImprovementNotice, respond_by: date, by: User) -> ImprovementNotice:
    """Share an improvement notice with the supplier (again: changes the reply-by date): their people are
    told, and it goes on the contract's timeline."""
    notice = ImprovementNotice.objects.select_for_update(of=("self",)).select_related("contract").get(pk=notice.pk)
    if respond_by < notice.issued_on:
        raise ValidationError(
            {"supplier_respond_by": f"Give a date on or after the notice was given ({long_date(notice.issued_on)})."}
        )
    before = notice.supplier_respond_by
    if before == respond_by:
        return notice
    notice.supplier_respond_by = respond_by
    history_user_set(notice, by)
    notice.save(update_fields=["supplier_respond_by"])
    contract = notice.contract
    what = f"Improvement notice of {long_date(notice.issued_on)}"
    timeline_record(
        contract=contract,
        kind=Activity.Kind.IMPROVEMENT_NOTICE,
        summary=f"{what}: shared with the supplier, reply by {long_date(respond_by)}"
        if before is None
        else f"{what}: the supplier's reply-by date changed to {long_date(respond_by)}",
        subject=notice,
        by=by,
    )
    _tell_supplier(
        contract,
        title=f"{contract.reference}: improvement notice: please reply by {long_date(respond_by)}",
        body=f"{notice.failure}\nYou must: {notice.required_action}\nCure period ends {long_date(notice.cure_by)}.",
        url=reverse("portal:improvement_notice", args=[notice.pk]),
    )
    return notice


@transaction.atomic
def improvement_notice_reply(
    *, notice: ImprovementNotice, by: User, text: str, attachment=None, today: date
) -> ImprovementNoticeReply:
    """The supplier's reply: kept with its attachment (checked as any document), marked late after the
    reply-by date, on the contract's timeline; the contract's OCO is told (the Procurement Unit, when the
    contract has no active OCO)."""
    if not text.strip():
        raise ValidationError({"text": "Write your reply."})
    notice = ImprovementNotice.objects.select_related("contract__oco").get(pk=notice.pk)
    if notice.supplier_respond_by is None:
        raise ValidationError("This improvement notice is not shared with you.")
    reply = ImprovementNoticeReply(notice=notice, author=by, text=text.strip(), late=notice.reply_late(today))
    if attachment is not None:
        try:
            validate_document(attachment)
        except ValidationError as error:
            raise ValidationError({"attachment": error.messages}) from error
        reply.attachment.save(attachment.name, attachment, save=False)
        reply.attachment_name = attachment.name[:255]
    reply.save()
    contract = notice.contract
    late = f" (late: the reply was due by {long_date(notice.supplier_respond_by)})" if reply.late else ""
    summary = f"Improvement notice of {long_date(notice.issued_on)}: the supplier replied{late}"
    timeline_record(
        contract=contract,
        kind=Activity.Kind.IMPROVEMENT_NOTICE,
        summary=summary,
        details=f"{by}: {reply.text}" + (f"\nAttached: {reply.attachment_name}" if reply.attachment_name else ""),
        subject=notice,
        by=by,
    )
    oco = contract.oco
    if oco is not None and oco.is_active:
        people = [oco]
    else:
        people = list(User.objects.in_role(roles.PROCUREMENT).filter(is_active=True))
    for person in people:
        notify(
            recipient=person,
            kind=Kind.NOTICE_REPLY,
            title=f"{contract.reference}: {summary}"[:255],
            body=reply.text,
            url=f"{notice.get_absolute_url()}#reply-{reply.pk}",
            subject=notice,
        )
    return reply
