"""Escalations shared with the supplier: the contract's OCO or the Procurement Unit writes what the
supplier is told and the date to reply by; the supplier's people read it on the portal and reply (with
text and an attachment), their reply a post in the escalation's thread. The rest of the escalation (its
details, actions, status and the force's own posts) is never shown to them."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from contracts.models import Activity, Escalation, EscalationUpdate
from contracts.services.escalations import escalation_post
from contracts.services.timeline import timeline_record
from core.audit import history_user_set
from core.formatting import long_date
from notifications.models import Kind
from notifications.services import notify


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
    for person in User.objects.filter(supplier_contact__supplier=contract.supplier_id, is_active=True):
        notify(
            recipient=person,
            kind=Kind.SUPPLIER_NOTICE,
            title=f"{contract.reference}: {escalation.title}: please reply by {long_date(respond_by)}"[:255],
            body=escalation.supplier_notice,
            url=reverse("portal:notice", args=[escalation.pk]),
        )
    return escalation


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
