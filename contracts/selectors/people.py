"""Who is on a contract: the people whom its work may be given to (action and milestone owners)."""

from django.db.models import Q, QuerySet

from accounts import roles
from accounts.models import User
from contracts.models import Contract


def contract_people(contract: Contract, *, also: Q | None = None) -> QuerySet[User]:
    """The active people on `contract`: its OCO and SRO and the Procurement Unit, and those `also`
    names (a meeting's attendees). Anyone else would be told of work on a contract they cannot open."""
    on = Q(pk__in=[pk for pk in (contract.oco_id, contract.sro_id) if pk]) | Q(groups__name=roles.PROCUREMENT)
    if also is not None:
        on |= also
    ids = User.objects.filter(on).values("pk")
    return User.objects.filter(is_active=True, pk__in=ids).order_by("first_name", "last_name", "username")
