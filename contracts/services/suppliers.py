"""Merging two supplier records that are one company. It lives in `contracts`, above `suppliers`,
because the contracts move and each contract's timeline says so."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from contracts.models import Activity, Contract, KeySupplier
from contracts.services.timeline import timeline_record
from core.audit import history_user_set
from suppliers import merge
from suppliers.models import CompanyRecord, Supplier, SupplierContact, SupplierInformation

# What this merge moves itself; an app above contracts moves its own rows with a mover it registers
# (suppliers/merge.py). A relation to Supplier handled by neither fails tests/suppliers/test_merge.py
# until the merge, or the app that owns it, says what becomes of it.
MOVED_HERE = frozenset(
    {"contracts", "joint_contracts", "contacts", "information", "merged_from", "company_record", "key_supplier"}
)


def moved_relations() -> frozenset[str]:
    """Every relation to Supplier that a merge takes care of: here, or by a registered mover."""
    return MOVED_HERE | set(merge.movers())


# Identifiers the survivor takes from the merged supplier when it has none of its own.
FILLED_FIELDS = ("companies_house_number", "vat_number", "ppon", "website", "address")
UNIQUE_FIELDS = ("companies_house_number", "ppon")


@dataclass(frozen=True)
class MergeResult:
    survivor: Supplier
    contracts: int
    contacts: int
    information: int


def _reason(instance, text: str) -> None:
    """The reason simple-history writes on the history row of the next save (it holds 100 characters)."""
    setattr(instance, "_change_reason", text[:100])  # noqa: B010  # a private attribute simple-history reads


@transaction.atomic
def supplier_merge(*, supplier: Supplier, into: Supplier, by: User) -> MergeResult:
    """Merge `supplier` into `into` (the survivor): its contracts (and so their escalations), contacts
    and supplier information move to the survivor, which also takes the identifiers it lacks. The
    merged supplier is kept, pointing at the survivor, so its page redirects; both histories, each
    contract's history and its timeline say so."""
    locked = Supplier.objects.select_for_update().in_bulk([supplier.pk, into.pk])
    if supplier.pk == into.pk or len(locked) != 2:
        raise ValidationError("Choose another supplier to keep.")
    old, survivor = locked[supplier.pk], locked[into.pk]
    if old.merged_into_id is not None or survivor.merged_into_id is not None:
        raise ValidationError("One of these suppliers has already been merged: reload the page.")
    for field in UNIQUE_FIELDS:
        mine, theirs = getattr(old, field), getattr(survivor, field)
        if mine and theirs and mine != theirs:
            label = {"companies_house_number": "Companies House number", "ppon": "PPON"}[field]
            raise ValidationError(
                f"They have different {label}s ({theirs} and {mine}): they are two organisations, not one."
            )

    contracts = list(Contract.objects.select_for_update().filter(supplier=old).order_by("pk"))
    for contract in contracts:
        contract.supplier = survivor
        history_user_set(contract, by)
        _reason(contract, f"Supplier {old.name} merged into {survivor.name}")
        contract.save()
        timeline_record(
            contract=contract,
            kind=Activity.Kind.SUPPLIER_EVENT,
            summary=f"Supplier record “{old.name}” merged into “{survivor.name}”",
            details="The Procurement Unit found two records of one supplier and kept one.",
            subject=survivor,
            by=by,
        )
    # A joint award naming the merged record names the survivor instead (once; not beside itself as lead).
    for contract in Contract.objects.filter(joint_suppliers=old).order_by("pk"):
        contract.joint_suppliers.remove(old)
        if contract.supplier_id != survivor.pk:
            contract.joint_suppliers.add(survivor)
    # One of each per supplier: the survivor keeps its own, else takes the merged record's. Its Companies
    # House reading follows its company number (taken below when it had none); its key-supplier designation
    # and relationship plan follow it.
    one_each: tuple[type[CompanyRecord] | type[KeySupplier], ...] = (CompanyRecord, KeySupplier)
    for single in one_each:
        theirs = single.objects.filter(supplier=old).first()
        if theirs is not None:
            if single.objects.filter(supplier=survivor).exists():
                theirs.delete()
            else:
                theirs.supplier = survivor
                theirs.save(update_fields=["supplier"])
    # What the apps above this one keep about a supplier (the finance system's invoices ...): their movers.
    for move in merge.movers().values():
        move(old=old, survivor=survivor, by=by)
    moved: dict[type, int] = {}
    for model in (SupplierContact, SupplierInformation):
        rows: list[SupplierContact | SupplierInformation] = list(
            model.objects.select_for_update().filter(supplier=old).order_by("pk")
        )
        for row in rows:
            row.supplier = survivor
            history_user_set(row, by)
            _reason(row, f"Moved from {old.name} (merged)")
            row.save()
        moved[model] = len(rows)

    for earlier in Supplier.objects.select_for_update().filter(merged_into=old).order_by("pk"):
        earlier.merged_into = survivor  # one redirect, not a chain
        history_user_set(earlier, by)
        _reason(earlier, f"Now merged into {survivor.name} (supplier {survivor.pk})")
        earlier.save()

    # The identifiers the survivor lacks: off the merged record first, as each is unique.
    taken = {f: getattr(old, f) for f in FILLED_FIELDS if getattr(old, f) and not getattr(survivor, f)}
    for field in UNIQUE_FIELDS:
        if field in taken:
            setattr(old, field, "")
    old.merged_into = survivor
    history_user_set(old, by)
    _reason(old, f"Merged into {survivor.name} (supplier {survivor.pk})")
    old.save()
    for field, value in taken.items():
        setattr(survivor, field, value)
    history_user_set(survivor, by)
    _reason(
        survivor,
        f"Supplier {old.pk} merged in (moved: contracts {len(contracts)}, contacts {moved[SupplierContact]}, "
        f"information {moved[SupplierInformation]}): {old.name}",
    )
    survivor.save()
    return MergeResult(
        survivor=survivor,
        contracts=len(contracts),
        contacts=moved[SupplierContact],
        information=moved[SupplierInformation],
    )
