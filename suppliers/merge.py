"""The supplier merge's movers: how an app above `contracts` moves its rows to the surviving record.

Merging two records of one supplier is `contracts.services.suppliers.supplier_merge` (the contracts move,
and each contract's timeline says so). What points at a supplier from an app that `contracts` may not
import (the finance system's invoices in `exchange`, for instance) is moved by that app: it registers a
mover here in its `AppConfig.ready`, named by the relation it moves, and the merge calls every mover in
its transaction. A relation to `Supplier` that neither the merge nor a mover handles fails
tests/suppliers/test_merge.py."""

from typing import Protocol

from accounts.models import User
from suppliers.models import Supplier


class Mover(Protocol):
    def __call__(self, *, old: Supplier, survivor: Supplier, by: User) -> None:
        """Move the rows of `old` (the merged supplier) to `survivor`, in the merge's transaction."""


_MOVERS: dict[str, Mover] = {}


def mover_register(relation: str, move: Mover) -> None:
    """`relation`: the accessor name on `Supplier` (e.g. "invoices") whose rows `move` takes across."""
    _MOVERS[relation] = move


def movers() -> dict[str, Mover]:
    """Every registered mover by the relation it moves, in the order the apps registered them."""
    return dict(_MOVERS)
