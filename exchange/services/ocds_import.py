"""Read an OCDS 1.1 release or record package and plan (then apply) draft contracts from its awards.

Decisions, so that a messy real file never crashes the import:

- One contract per award. A release without awards is skipped and counted, and so is an award
  without a supplier name, or with a value in another currency than GBP, or a negative value.
- An award without a value is imported with a value of £0 (a draft: the Procurement Unit completes it).
- Several suppliers on an award: the first is the contract's supplier; the others are named in
  the description.
- The same award in several releases (award, then awardUpdate): the latest release (by `date`) wins;
  the older ones are counted as skipped ("older release of the same award").
- Reference: the award id when it already starts with the ocid (Contracts Finder does this), else
  "ocid-awardid"; when that is longer than the 50 characters a reference holds, the start of it
  and a short hash of the whole. The ocid and award id are also written in the description.
- Dates: the award's contract period, else the tender's; a missing start is the award date, else the
  release date; a missing end is the start; an end before the start is moved to the start.
- Text is kept as published (encoding faults included), without NUL characters, cut to the field size;
  a lone surrogate escape ("\ud800", which no database stores) becomes the replacement character.
- A list or an object where the standard has the other (or a number) counts as missing.
- A contract already imported (same reference) is updated while it is still a draft; one the
  Procurement Unit has moved on from draft is left alone and counted.
- Suppliers: matched by Companies House number (GB-COH identifier, normalised by
  suppliers.identity), else by normalised name (suppliers.identity.normalise_name), else created.
  A number is stored only when it is a valid 8-character number.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contracts.models import Category, Contract
from core.audit import history_user_set
from exchange.services.ocds_read import OcdsError, _dict, _list, clean_text, iter_releases, parse_date
from suppliers.identity import is_company_number, normalise_company_number, normalise_name
from suppliers.models import Supplier

CATEGORY_NAME = "Imported (OCDS)"
_reference_length = Contract._meta.get_field("reference").max_length
assert _reference_length is not None  # a CharField always has one
REFERENCE_LENGTH: int = _reference_length

SKIP_NO_AWARD = "no award"
SKIP_NO_SUPPLIER = "no supplier name"
SKIP_CURRENCY = "value not in GBP"
SKIP_NEGATIVE = "negative value"
SKIP_OLDER = "older release of the same award"
SKIP_NOT_DRAFT = "already on the register and no longer a draft"


@dataclass
class SupplierPlan:
    name: str
    companies_house_number: str = ""
    address: str = ""
    existing: Supplier | None = None

    @property
    def key(self) -> str:
        return self.companies_house_number or normalise_name(self.name)


@dataclass
class ContractPlan:
    reference: str
    title: str
    description: str
    supplier: SupplierPlan
    total_value: Decimal
    start_date: date
    end_date: date
    nature: str
    procurement_route: str
    buyer: str
    release_date: str
    # The tender period's start: the day the procurement began, which decides its regime (Contract.regime_in_effect).
    procurement_started_on: date | None = None
    existing: Contract | None = None

    @property
    def action(self) -> str:
        return "update" if self.existing else "create"


@dataclass
class ImportPlan:
    contracts: list[ContractPlan] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    releases: int = 0

    @property
    def to_create(self) -> int:
        return sum(1 for c in self.contracts if c.existing is None)

    @property
    def to_update(self) -> int:
        return len(self.contracts) - self.to_create

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def suppliers_to_create(self) -> int:
        return len({c.supplier.key for c in self.contracts if c.supplier.existing is None})


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    suppliers_created: int = 0
    skipped: Counter = field(default_factory=Counter)


def normalise_coh(value) -> str:
    """A Companies House number as the register stores it, or "" when it is not a valid one."""
    number = normalise_company_number(clean_text(value))
    return number if is_company_number(number) else ""


def make_reference(ocid: str, award_id: str) -> str:
    reference = award_id if award_id.startswith(ocid) else f"{ocid}-{award_id}" if award_id else ocid
    if len(reference) > REFERENCE_LENGTH:
        digest = hashlib.sha1(reference.encode(), usedforsecurity=False).hexdigest()[:10]
        reference = f"{reference[: REFERENCE_LENGTH - 11]}~{digest}"
    return reference


def _address(party: dict) -> str:
    address = _dict(party.get("address"))
    parts = [clean_text(address.get(k)) for k in ("streetAddress", "locality", "region", "postalCode", "countryName")]
    return ", ".join(p for p in parts if p)


def _supplier_plan(ref: dict, parties: dict) -> SupplierPlan | None:
    party = parties.get(clean_text(ref.get("id"))) or {}
    name = clean_text(ref.get("name") or party.get("name"), 200)
    if not name:
        return None
    coh = ""
    identifiers = [party.get("identifier"), *_list(party.get("additionalIdentifiers"))]
    for identifier in identifiers:
        if isinstance(identifier, dict) and identifier.get("scheme") == "GB-COH":
            coh = normalise_coh(identifier.get("id"))
            if coh:
                break
    return SupplierPlan(name=name, companies_house_number=coh, address=_address(party))


NATURES = {"goods": Contract.Nature.GOODS, "services": Contract.Nature.SERVICES, "works": Contract.Nature.WORKS}
ROUTES = {
    "open": Contract.ProcurementRoute.OPEN,
    "selective": Contract.ProcurementRoute.COMPETITIVE_FLEXIBLE,
    "limited": Contract.ProcurementRoute.DIRECT_AWARD,
    "direct": Contract.ProcurementRoute.DIRECT_AWARD,
}


def _contract_plan(release: dict, award: dict, skipped: Counter) -> ContractPlan | None:
    ocid = clean_text(release.get("ocid"))
    award_id = clean_text(award.get("id"))
    parties = {clean_text(p.get("id")): p for p in _list(release.get("parties")) if isinstance(p, dict)}
    suppliers = [s for s in _list(award.get("suppliers")) if isinstance(s, dict)]
    supplier_plans = [p for p in (_supplier_plan(s, parties) for s in suppliers) if p]
    if not supplier_plans:
        skipped[SKIP_NO_SUPPLIER] += 1
        return None
    value = _dict(award.get("value"))
    currency = clean_text(value.get("currency")).upper()
    if currency and currency != "GBP":
        skipped[SKIP_CURRENCY] += 1
        return None
    try:
        amount = (
            Decimal(str(value.get("amount"))).quantize(Decimal("0.01"))
            if value.get("amount") is not None
            else Decimal(0)
        )
    except (InvalidOperation, ValueError):
        amount = Decimal(0)
    if not amount.is_finite() or amount >= Decimal("1e12"):
        amount = Decimal(0)
    if amount < 0:
        skipped[SKIP_NEGATIVE] += 1
        return None
    tender = _dict(release.get("tender"))
    contract_data = next(
        (c for c in _list(release.get("contracts")) if isinstance(c, dict) and c.get("awardID") == award.get("id")), {}
    )
    period = award.get("contractPeriod") or contract_data.get("period") or tender.get("contractPeriod") or {}
    period = period if isinstance(period, dict) else {}
    start = parse_date(period.get("startDate")) or parse_date(award.get("date")) or parse_date(release.get("date"))
    start = start or timezone.localdate()
    end = parse_date(period.get("endDate")) or start
    end = max(end, start)
    tender_period = tender.get("tenderPeriod")
    began = parse_date(tender_period.get("startDate")) if isinstance(tender_period, dict) else None
    title = clean_text(contract_data.get("title") or award.get("title") or tender.get("title"), 255)
    title = title or f"OCDS award {award_id or ocid}"[:255]
    buyer = _dict(release.get("buyer"))
    buyer_name = clean_text(buyer.get("name") or (parties.get(clean_text(buyer.get("id"))) or {}).get("name"))
    lines = [clean_text(contract_data.get("description") or award.get("description") or tender.get("description"))]
    if len(supplier_plans) > 1:
        lines.append("Also awarded to: " + "; ".join(p.name for p in supplier_plans[1:]) + ".")
    if buyer_name:
        lines.append(f"Buyer: {buyer_name}.")
    lines.append(f"Imported from OCDS: ocid {ocid}, award {award_id}.")
    return ContractPlan(
        reference=make_reference(ocid, award_id),
        title=title,
        description="\n\n".join(line for line in lines if line),
        supplier=supplier_plans[0],
        total_value=amount,
        start_date=start,
        end_date=end,
        nature=NATURES.get(clean_text(tender.get("mainProcurementCategory")).lower(), Contract.Nature.SERVICES),
        procurement_route=ROUTES.get(
            clean_text(tender.get("procurementMethod")).lower(), Contract.ProcurementRoute.OTHER
        ),
        buyer=buyer_name,
        release_date=clean_text(release.get("date")),
        procurement_started_on=began if began is not None and began <= start else None,
    )


def build_plan(package: dict) -> ImportPlan:
    """What an import of this package would do, without writing anything."""
    plan = ImportPlan()
    by_reference: dict[str, ContractPlan] = {}
    for release in iter_releases(package, plan.skipped):
        plan.releases += 1
        awards = [a for a in _list(release.get("awards")) if isinstance(a, dict)]
        if not awards or not clean_text(release.get("ocid")):
            plan.skipped[SKIP_NO_AWARD] += 1
            continue
        for award in awards:
            item = _contract_plan(release, award, plan.skipped)
            if item is None:
                continue
            earlier = by_reference.get(item.reference)
            if earlier is not None:
                plan.skipped[SKIP_OLDER] += 1
                if earlier.release_date > item.release_date:
                    continue
            by_reference[item.reference] = item
    existing = Contract.objects.in_bulk(list(by_reference), field_name="reference")
    numbers = {c.supplier.companies_house_number for c in by_reference.values()} - {""}
    by_number = {s.companies_house_number: s for s in Supplier.objects.filter(companies_house_number__in=numbers)}
    by_name: dict[str, Supplier] = {}
    names = {normalise_name(c.supplier.name) for c in by_reference.values()}
    for known in Supplier.objects.current().filter(normalised_name__in=names).order_by("pk"):
        by_name.setdefault(known.normalised_name, known)
    for item in by_reference.values():
        contract = existing.get(item.reference)
        if contract is not None and contract.status != Contract.Status.DRAFT:
            plan.skipped[SKIP_NOT_DRAFT] += 1
            continue
        item.existing = contract
        supplier = item.supplier
        supplier.existing = by_number.get(supplier.companies_house_number) or by_name.get(normalise_name(supplier.name))
        if supplier.existing is not None and supplier.existing.companies_house_number:
            supplier.companies_house_number = supplier.existing.companies_house_number
        plan.contracts.append(item)
    return plan


# Writing -----------------------------------------------------------------------------------------


def _annual_value(total: Decimal, start: date, end: date) -> Decimal:
    years = max(Decimal((end - start).days + 1) / Decimal("365.25"), Decimal(1))
    return (total / years).quantize(Decimal("0.01"))


@transaction.atomic
def apply_plan(plan: ImportPlan, *, by) -> ImportResult:
    """Create or update the planned draft contracts and their suppliers, in one transaction."""
    result = ImportResult(skipped=Counter(plan.skipped))
    category, _ = Category.objects.get_or_create(
        name=CATEGORY_NAME, defaults={"description": "Contracts imported from OCDS data; recategorise them."}
    )
    made: dict[str, Supplier] = {}
    for item in plan.contracts:
        supplier = item.supplier.existing or made.get(item.supplier.key) or made.get(normalise_name(item.supplier.name))
        if supplier is None:
            supplier = Supplier(
                name=item.supplier.name,
                companies_house_number=item.supplier.companies_house_number,
                address=item.supplier.address,
                notes="Created by an OCDS import.",
            )
            history_user_set(supplier, by)
            supplier.full_clean()
            supplier.save()
            made[item.supplier.key] = made[normalise_name(item.supplier.name)] = supplier
            result.suppliers_created += 1
        contract = item.existing or Contract(reference=item.reference, category=category, status=Contract.Status.DRAFT)
        contract.title = item.title
        contract.description = item.description
        contract.supplier = supplier
        contract.total_value = contract.original_total_value = item.total_value
        contract.start_date = item.start_date
        contract.end_date = contract.original_end_date = item.end_date
        contract.annual_value = _annual_value(item.total_value, item.start_date, item.end_date)
        contract.nature = item.nature
        contract.procurement_route = item.procurement_route
        if item.procurement_started_on is not None:
            contract.procurement_started_on = item.procurement_started_on
        try:
            contract.full_clean(exclude=["reference"] if item.existing else None)
        except ValidationError as exc:
            raise OcdsError(f"Contract {item.reference} could not be saved: {'; '.join(exc.messages)}") from exc
        history_user_set(contract, by)
        contract.save()
        if item.existing:
            result.updated += 1
        else:
            result.created += 1
    return result
