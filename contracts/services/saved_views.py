"""Saving and removing a person's named views of the register."""

from django.db import transaction

from accounts.models import User
from contracts.models import SavedView


@transaction.atomic
def saved_view_save(*, owner: User, name: str, query: str, shared: bool) -> SavedView:
    """Keep the register's filters and sort under a name; saving under a name already used replaces it."""
    view, _ = SavedView.objects.update_or_create(
        owner=owner, name=name.strip(), defaults={"query": query, "shared": shared}
    )
    return view


@transaction.atomic
def saved_view_delete(*, view: SavedView) -> None:
    view.delete()
