"""Read an OCDS 1.1 release or record package and plan (then apply) draft contracts from its awards.

Decisions, so that a messy real file never crashes the import (the award itself is read in
exchange/services/ocds_awards.py):

- Only the force's awards: a release whose buyer matches the force's identifiers or names
  (OCDS_IMPORT_BUYER_IDS, OCDS_IMPORT_BUYER_NAMES, and the notices' OCDS_BUYER_ID / OCDS_BUYER_NAME).
  Another buyer's awards are skipped, listed in the preview with their buyer, unless the user
  includes that buyer (`include_buyers`).
- One contract per award. A release without awards is skipped and counted, and so is an award
  without a supplier name, or with a value in another currency than GBP, or a negative value.
- An award without a value is imported with a value of £0 (a draft: the Procurement Unit completes it).
- A joint award (several suppliers): the first is the contract's supplier, the others its joint
  suppliers (Contract.joint_suppliers), each matched or created like the first.
- The same award in several releases (award, then awardUpdate): the latest release (by `date`) wins;
  the older ones are counted as skipped ("older release of the same award").
- Reference: the award id when it already starts with the ocid (Contracts Finder does this), else
  "ocid-awardid"; when that is longer than the 50 characters a reference holds, the start of it
  and a short hash of the whole. The ocid and award id are also written in the description.
- Dates: the award's contract period, else the tender's; a missing start is the award date, else the
  release date; a missing end is the start; an end before the start is moved to the start.
- A call-off from a framework or a dynamic purchasing system takes the framework route.
- Text is kept as published (encoding faults included), without NUL characters, cut to the field size;
  a lone surrogate escape ("\\ud800", which no database stores) becomes the replacement character.
- A list or an object where the standard has the other (or a number) counts as missing.
- A contract already imported (same reference) is updated while it is still a draft; one the
  Procurement Unit has moved on from draft is left alone and counted. The update compares, field by
  field, the contract with what the last import wrote (exchange.models.OcdsImportRecord): a field
  changed on the register since then is kept; a contract with nothing new is not saved (no history
  row). A draft with no record (imported before records were kept) keeps every field that differs.
- Suppliers: matched by Companies House number (GB-COH identifier, normalised by
  suppliers.identity), else by normalised name (suppliers.identity.normalise_name), else created
  (only when the contract takes them). A number is stored only when it is a valid 8-character number.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts.models import Category, Contract
from core.audit import history_user_set
from exchange.models import OcdsImportRecord
from exchange.services.ocds_awards import (  # noqa: F401  (make_reference, normalise_coh: this module's API)
    SKIP_CURRENCY,
    SKIP_NEGATIVE,
    SKIP_NO_SUPPLIER,
    ContractPlan,
    SupplierPlan,
    contract_plan,
    make_reference,
    normalise_coh,
)
from exchange.services.ocds_read import (
    ForceIdentity,
    OcdsError,
    _list,
    clean_text,
    iter_releases,
    release_buyer,
)
from suppliers.identity import normalise_name
from suppliers.models import Supplier

CATEGORY_NAME = "Imported (OCDS)"

SKIP_NO_AWARD = "no award"
SKIP_OLDER = "older release of the same award"
SKIP_NOT_DRAFT = "already on the register and no longer a draft"
SKIP_OTHER_BUYER = "another buyer's award"

# What an import writes to a contract, in the order the preview names them.
IMPORTED_FIELDS = {
    "title": "title",
    "description": "description",
    "supplier": "supplier",
    "joint_suppliers": "joint suppliers",
    "total_value": "total value",
    "original_total_value": "original total value",
    "annual_value": "annual value",
    "start_date": "start date",
    "end_date": "end date",
    "original_end_date": "original end date",
    "procurement_started_on": "procurement began on",
    "nature": "goods, services or works",
    "procurement_route": "procurement route",
    "agreement": "kind of agreement",
    "cpv_code": "CPV code",
}


@dataclass
class OtherBuyer:
    key: str
    name: str
    awards: int = 0
    included: bool = False


@dataclass
class ImportPlan:
    contracts: list[ContractPlan] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    releases: int = 0
    # Buyers other than the force whose awards the package holds, by key (the preview's choices).
    other_buyers: dict[str, OtherBuyer] = field(default_factory=dict)
    force_configured: bool = True

    @property
    def to_create(self) -> int:
        return sum(1 for c in self.contracts if c.action == "create")

    @property
    def to_update(self) -> int:
        return sum(1 for c in self.contracts if c.action == "update")

    @property
    def unchanged(self) -> int:
        return sum(1 for c in self.contracts if c.action == "unchanged")

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def suppliers_to_create(self) -> int:
        return len(
            {s.key for c in self.contracts if c.action == "create" for s in c.suppliers if s.existing is None}
            | {
                s.key
                for c in self.contracts
                if c.action == "update"
                for s in ([c.supplier] if "supplier" in c.changes else [])
                + (c.joint_suppliers if "joint_suppliers" in c.changes else [])
                if s.existing is None
            }
        )


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    suppliers_created: int = 0
    skipped: Counter = field(default_factory=Counter)


def build_plan(package: dict, *, include_buyers: frozenset[str] | set[str] = frozenset()) -> ImportPlan:
    """What an import of this package would do, without writing anything. `include_buyers` names (by
    key) the other buyers whose awards the user chose to import as well."""
    force = ForceIdentity.from_settings()
    plan = ImportPlan(force_configured=force.configured)
    by_reference: dict[str, ContractPlan] = {}
    for release in iter_releases(package, plan.skipped):
        plan.releases += 1
        awards = [a for a in _list(release.get("awards")) if isinstance(a, dict)]
        if not awards or not clean_text(release.get("ocid")):
            plan.skipped[SKIP_NO_AWARD] += 1
            continue
        buyer = release_buyer(release)
        if not force.is_buyer(buyer):
            other = plan.other_buyers.setdefault(
                buyer.key, OtherBuyer(key=buyer.key, name=buyer.name or "(buyer not named)")
            )
            other.awards += len(awards)
            if buyer.key not in include_buyers:
                plan.skipped[SKIP_OTHER_BUYER] += len(awards)
                continue
            other.included = True
        for award in awards:
            item = contract_plan(release, award, plan.skipped, buyer=buyer.name)
            if item is None:
                continue
            earlier = by_reference.get(item.reference)
            if earlier is not None:
                plan.skipped[SKIP_OLDER] += 1
                if earlier.release_date > item.release_date:
                    continue
            by_reference[item.reference] = item
    plan.other_buyers = dict(sorted(plan.other_buyers.items(), key=lambda pair: pair[1].name.casefold()))
    _match(plan, by_reference)
    return plan


def _match(plan: ImportPlan, by_reference: dict[str, ContractPlan]) -> None:
    """The contracts and suppliers already on the register, and what an update would change."""
    existing = (
        Contract.objects.select_related("ocds_import")
        .prefetch_related("joint_suppliers")
        .in_bulk(list(by_reference), field_name="reference")
    )
    wanted = [s for item in by_reference.values() for s in item.suppliers]
    numbers = {s.companies_house_number for s in wanted} - {""}
    by_number = {s.companies_house_number: s for s in Supplier.objects.filter(companies_house_number__in=numbers)}
    by_name: dict[str, Supplier] = {}
    names = {normalise_name(s.name) for s in wanted}
    for known in Supplier.objects.current().filter(normalised_name__in=names).order_by("pk"):
        by_name.setdefault(known.normalised_name, known)
    for item in by_reference.values():
        contract = existing.get(item.reference)
        if contract is not None and contract.status != Contract.Status.DRAFT:
            plan.skipped[SKIP_NOT_DRAFT] += 1
            continue
        for supplier in item.suppliers:
            by_its_name = by_name.get(normalise_name(supplier.name))
            supplier.existing = by_number.get(supplier.companies_house_number) or by_its_name
            if supplier.existing is not None and supplier.existing.companies_house_number:
                supplier.companies_house_number = supplier.existing.companies_house_number
        item.existing = contract
        if contract is not None:
            compare(item, contract)
        plan.contracts.append(item)


# Comparing ---------------------------------------------------------------------------------------


def annual_value(total: Decimal, start: date, end: date) -> Decimal:
    """The total spread over the contract's years (a contract under a year: its total)."""
    years = max(Decimal((end - start).days + 1) / Decimal("365.25"), Decimal(1))
    return (total / years).quantize(Decimal("0.01"))


def _text(value) -> str | int | list | None:
    """A value as the import record keeps it (JSON)."""
    if value is None or isinstance(value, (int, list)):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _supplier_value(plan: SupplierPlan) -> int | str:
    return plan.existing.pk if plan.existing is not None else f"new:{plan.key}"


def incoming_values(item: ContractPlan) -> dict:
    """What the import writes, field by field (suppliers by id; "new:<key>" for one not yet created)."""
    return {
        "title": item.title,
        "description": item.description,
        "supplier": _supplier_value(item.supplier),
        "joint_suppliers": sorted((_supplier_value(s) for s in item.joint_suppliers), key=str),
        "total_value": _text(item.total_value),
        "original_total_value": _text(item.total_value),
        "annual_value": _text(annual_value(item.total_value, item.start_date, item.end_date)),
        "start_date": _text(item.start_date),
        "end_date": _text(item.end_date),
        "original_end_date": _text(item.end_date),
        "procurement_started_on": _text(item.procurement_started_on),
        "nature": item.nature,
        "procurement_route": item.procurement_route,
        "agreement": item.agreement,
        "cpv_code": item.cpv_code,
    }


def current_values(contract: Contract) -> dict:
    """The contract's imported fields as they are on the register now (joint suppliers prefetched)."""
    values = {
        name: _text(getattr(contract, name)) for name in IMPORTED_FIELDS if name not in ("supplier", "joint_suppliers")
    }
    values["supplier"] = contract.supplier_id
    values["joint_suppliers"] = sorted((s.pk for s in contract.joint_suppliers.all()), key=str)
    return values


def compare(item: ContractPlan, contract: Contract) -> None:
    """Which fields the import would change, and which it keeps because they changed on the register
    since the last import (no record of it: every field that differs is kept)."""
    record: OcdsImportRecord | None = getattr(contract, "ocds_import", None)
    last = record.values if record is not None else {}
    now, new = current_values(contract), incoming_values(item)
    item.changes, item.kept = [], []
    for name in IMPORTED_FIELDS:
        if new[name] == now[name]:
            continue
        if name in last and _same(last[name], now[name]):
            item.changes.append(name)
        else:
            item.kept.append(name)


def _same(recorded, current) -> bool:
    if isinstance(recorded, list) and isinstance(current, list):
        return sorted(map(str, recorded)) == sorted(map(str, current))
    return recorded == current


def field_labels(names: list[str]) -> str:
    return ", ".join(IMPORTED_FIELDS[name] for name in names)


# Writing -----------------------------------------------------------------------------------------


class _Suppliers:
    """The suppliers an import takes: matched ones, or created once each (by key) when first needed."""

    def __init__(self, by, result: ImportResult):
        self.by, self.result = by, result
        self.made: dict[str, Supplier] = {}

    def get(self, plan: SupplierPlan) -> Supplier:
        if plan.existing is not None:
            return plan.existing
        supplier = self.made.get(plan.key) or self.made.get(normalise_name(plan.name))
        if supplier is None:
            supplier = Supplier(
                name=plan.name,
                companies_house_number=plan.companies_house_number,
                address=plan.address,
                notes="Created by an OCDS import.",
            )
            history_user_set(supplier, self.by)
            supplier.full_clean()
            supplier.save()
            self.made[plan.key] = self.made[normalise_name(plan.name)] = supplier
            self.result.suppliers_created += 1
        plan.existing = supplier  # the import record names it by id from now on
        return supplier


def _write(contract: Contract, item: ContractPlan, names: list[str], suppliers: _Suppliers) -> None:
    values = {
        "title": item.title,
        "description": item.description,
        "total_value": item.total_value,
        "original_total_value": item.total_value,
        "annual_value": annual_value(item.total_value, item.start_date, item.end_date),
        "start_date": item.start_date,
        "end_date": item.end_date,
        "original_end_date": item.end_date,
        "procurement_started_on": item.procurement_started_on,
        "nature": item.nature,
        "procurement_route": item.procurement_route,
        "agreement": item.agreement,
        "cpv_code": item.cpv_code,
    }
    for name in names:
        if name == "supplier":
            contract.supplier = suppliers.get(item.supplier)
        elif name != "joint_suppliers":
            setattr(contract, name, values[name])


@transaction.atomic
def apply_plan(plan: ImportPlan, *, by) -> ImportResult:
    """Create or update the planned draft contracts and their suppliers, in one transaction."""
    result = ImportResult(skipped=Counter(plan.skipped))
    category, _ = Category.objects.get_or_create(
        name=CATEGORY_NAME, defaults={"description": "Contracts imported from OCDS data; recategorise them."}
    )
    suppliers = _Suppliers(by, result)
    now = timezone.now()
    for item in plan.contracts:
        if item.existing is None:
            contract = Contract(reference=item.reference, category=category, status=Contract.Status.DRAFT)
            names = list(IMPORTED_FIELDS)
        else:
            contract, names = item.existing, item.changes
        _write(contract, item, names, suppliers)
        if [name for name in names if name != "joint_suppliers"]:
            try:
                contract.full_clean(exclude=["reference"] if item.existing else None)
            except ValidationError as exc:
                raise OcdsError(f"Contract {item.reference} could not be saved: {'; '.join(exc.messages)}") from exc
            history_user_set(contract, by)
            contract.save()
        if "joint_suppliers" in names:
            contract.joint_suppliers.set([suppliers.get(s) for s in item.joint_suppliers])
        _record(contract, item, by=by, now=now)
        if item.existing is None:
            result.created += 1
        elif names:
            result.updated += 1
        else:
            result.unchanged += 1
    return result


def _record(contract: Contract, item: ContractPlan, *, by, now) -> None:
    """Keep what this import wrote (its values once suppliers exist), unless nothing is new."""
    values = incoming_values(item)
    record = getattr(contract, "ocds_import", None) if item.existing is not None else None
    if record is not None and record.values == values and record.ocid == item.ocid:
        return
    OcdsImportRecord.objects.update_or_create(
        contract=contract,
        defaults={
            "ocid": item.ocid,
            "award_id": item.award_id,
            "buyer": item.buyer,
            "values": values,
            "imported_at": now,
            "imported_by": by,
        },
    )
