"""Key suppliers: designated by the Procurement Unit with a reason, given a relationship plan, confirmed
(or not) in the six-monthly review round. Each change is in the record's history."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from contracts.models import KeySupplier, ReviewRound
from core.audit import history_user_set
from notifications.models import Kind
from notifications.services import notify


@transaction.atomic
def key_supplier_save(*, key_supplier: KeySupplier, by: User) -> KeySupplier:
    """Designate a key supplier, or change its reason or relationship plan. A newly named relationship
    lead hears of it (unless they named themselves)."""
    before = KeySupplier.objects.filter(pk=key_supplier.pk).values_list("lead_id", flat=True).first()
    if key_supplier.pk is None:
        key_supplier.designated_by = by
        key_supplier.designated_on = timezone.localdate()
    history_user_set(key_supplier, by)
    key_supplier.save()
    lead = key_supplier.lead
    if lead is not None and lead.pk != before and lead.pk != by.pk and lead.is_active:
        notify(
            recipient=lead,
            kind=Kind.GENERAL,
            title=f"You lead the relationship with {key_supplier.supplier.name}, a key supplier"[:255],
            body=f"{by} named you its relationship lead. Reason it is a key supplier: {key_supplier.reason}",
            url=key_supplier.get_absolute_url(),
        )
    return key_supplier


@transaction.atomic
def key_supplier_review(*, key_supplier: KeySupplier, review_round: ReviewRound, by: User) -> KeySupplier:
    """Confirm in the review round that the supplier stays a key supplier."""
    key_supplier.reviewed_on = timezone.localdate()
    key_supplier.review_round = review_round
    history_user_set(key_supplier, by)
    key_supplier.save(update_fields=["reviewed_on", "review_round"])
    return key_supplier


@transaction.atomic
def key_supplier_remove(*, key_supplier: KeySupplier, by: User) -> None:
    """No longer a key supplier (its designation and plan stay in the history)."""
    history_user_set(key_supplier, by)
    key_supplier.delete()
