from django.db import transaction

from accounts.models import User
from core.audit import history_user_set
from suppliers.models import Supplier


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
        contact.delete()
    return supplier
