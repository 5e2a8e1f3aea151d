from django.db import transaction

from accounts.models import User
from core.audit import history_user_set
from suppliers.models import Supplier


@transaction.atomic
def supplier_user_deactivate(*, user: User, by: User) -> None:
    """A supplier's person loses access to the portal: their contact was removed, or the Procurement Unit
    suspended them. Their sessions end at their next request (an inactive user is signed out)."""
    history_user_set(user, by)
    user.is_active = False
    user.save(update_fields=["is_active"])


@transaction.atomic
def supplier_save(*, form, contacts, by: User) -> Supplier:
    """Save a validated supplier form and its contacts formset together."""
    supplier = form.save(commit=False)
    history_user_set(supplier, by)
    supplier.save()
    contacts.instance = supplier
    for contact in contacts.save(commit=False):
        history_user_set(contact, by)
        contact.save()
    for contact in contacts.deleted_objects:
        history_user_set(contact, by)
        if contact.user_id is not None:
            supplier_user_deactivate(user=contact.user, by=by)
        contact.delete()
    return supplier
