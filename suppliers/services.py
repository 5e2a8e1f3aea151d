from django.db import transaction

from accounts.models import User
from suppliers.models import Supplier


@transaction.atomic
def supplier_save(*, form, contacts, by: User) -> Supplier:
    """Save a validated supplier form and its contacts formset together."""
    supplier = form.save(commit=False)
    supplier._history_user = by
    supplier.save()
    contacts.instance = supplier
    for contact in contacts.save(commit=False):
        contact._history_user = by
        contact.save()
    for contact in contacts.deleted_objects:
        contact._history_user = by
        contact.delete()
    return supplier
