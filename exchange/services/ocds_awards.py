"""One OCDS award read into what the register would hold (exchange/services/ocds_import.py plans and
applies the import; its docstring lists the decisions). Nothing here touches the database."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from contracts.models import Agreement, Contract
from exchange.services.ocds_read import _dict, _list, clean_text, parse_date
from suppliers.identity import is_company_number, normalise_company_number, normalise_name
from suppliers.models import Supplier

_reference_length = Contract._meta.get_field("reference").max_length
assert _reference_length is not None  # a CharField always has one
REFERENCE_LENGTH: int = _reference_length

SKIP_NO_SUPPLIER = "no supplier name"
SKIP_CURRENCY = "value not in GBP"
SKIP_NEGATIVE = "negative value"

CPV_CODE = re.compile(r"^(\d{8})(-\d)?$")


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
    ocid: str
    award_id: str
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
    agreement: str = Agreement.CONTRACT
    cpv_code: str = ""
    # The other suppliers of a joint award (Contract.joint_suppliers).
    joint_suppliers: list[SupplierPlan] = field(default_factory=list)
    # The tender period's start: the day the procurement began, which decides its regime (Contract.regime_in_effect).
    procurement_started_on: date | None = None
    existing: Contract | None = None
    # For a contract already imported: the fields the import would change, and those changed on the
    # register since the last import, which it keeps (ocds_import.compare).
    changes: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    @property
    def suppliers(self) -> list[SupplierPlan]:
        return [self.supplier, *self.joint_suppliers]

    @property
    def route_label(self) -> str:
        return str(Contract.ProcurementRoute(self.procurement_route).label)

    @property
    def action(self) -> str:
        if self.existing is None:
            return "create"
        return "update" if self.changes else "unchanged"


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
# How Contracts Finder, Find a Tender and the Scottish and Welsh portals name a call-off in
# tender.procurementMethodDetails: "Call-off from a framework agreement", "Call-off from a dynamic
# purchasing system", "Other - Further Competition - Framework", "Direct Award from a Framework Contract".
CALL_OFF_DETAILS = re.compile(r"call[\s-]*off|framework|dynamic purchasing", re.IGNORECASE)


def _route_and_agreement(release: dict, tender: dict) -> tuple[str, str]:
    """A call-off from a framework or a dynamic purchasing system takes the register's framework route
    (never an Act procedure): said by procurementMethodDetails, or by a related process whose
    relationship is "framework" (OCDS: this process is a call-off from the linked framework), or by
    tender.techniques (hasFrameworkAgreement, hasDynamicPurchasingSystem). A release that uses the
    techniques with none of the call-off signs awards the framework itself: its agreement is a
    framework agreement, its route the procedure used."""
    method = ROUTES.get(clean_text(tender.get("procurementMethod")).lower(), Contract.ProcurementRoute.OTHER)
    related = any(
        "framework" in [clean_text(r).lower() for r in _list(process.get("relationship"))]
        for process in _list(release.get("relatedProcesses"))
        if isinstance(process, dict)
    )
    if related or CALL_OFF_DETAILS.search(clean_text(tender.get("procurementMethodDetails"))):
        return Contract.ProcurementRoute.FRAMEWORK, Agreement.CONTRACT
    techniques = _dict(tender.get("techniques"))
    if techniques.get("hasFrameworkAgreement") is True or techniques.get("hasDynamicPurchasingSystem") is True:
        return Contract.ProcurementRoute.FRAMEWORK if method == Contract.ProcurementRoute.OTHER else method, (
            Agreement.FRAMEWORK
        )
    return method, Agreement.CONTRACT


def cpv_code(tender: dict) -> str:
    """The CPV code of the tender's classification, else of its first item that has one ("" if none)."""
    candidates = [tender.get("classification")]
    for item in _list(tender.get("items")):
        if isinstance(item, dict):
            candidates += [item.get("classification"), *_list(item.get("additionalClassifications"))]
    for classification in candidates:
        classification = _dict(classification)
        if clean_text(classification.get("scheme")).upper() == "CPV":
            match = CPV_CODE.match(clean_text(classification.get("id")).replace(" ", ""))
            if match:
                return match.group(0)
    return ""


def award_amount(award: dict, skipped: Counter) -> Decimal | None:
    """The award's value in pounds (0 when missing or unreadable); None, counted, in another currency or below 0."""
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
    return amount


def award_period(release: dict, award: dict, contract_data: dict) -> tuple[date, date]:
    """The award's contract period, else the contract's, else the tender's; a missing start is the award
    date, else the release date; a missing end is the start; an end before the start is moved to it."""
    tender = _dict(release.get("tender"))
    period = award.get("contractPeriod") or contract_data.get("period") or tender.get("contractPeriod") or {}
    period = period if isinstance(period, dict) else {}
    start = parse_date(period.get("startDate")) or parse_date(award.get("date")) or parse_date(release.get("date"))
    start = start or timezone.localdate()
    end = parse_date(period.get("endDate")) or start
    return start, max(end, start)


def contract_plan(release: dict, award: dict, skipped: Counter, *, buyer: str) -> ContractPlan | None:
    ocid = clean_text(release.get("ocid"))
    award_id = clean_text(award.get("id"))
    parties = {clean_text(p.get("id")): p for p in _list(release.get("parties")) if isinstance(p, dict)}
    suppliers = [s for s in _list(award.get("suppliers")) if isinstance(s, dict)]
    supplier_plans: list[SupplierPlan] = []
    for plan in (_supplier_plan(s, parties) for s in suppliers):
        if plan is not None and plan.key not in {p.key for p in supplier_plans}:
            supplier_plans.append(plan)
    if not supplier_plans:
        skipped[SKIP_NO_SUPPLIER] += 1
        return None
    amount = award_amount(award, skipped)
    if amount is None:
        return None
    tender = _dict(release.get("tender"))
    contract_data = next(
        (c for c in _list(release.get("contracts")) if isinstance(c, dict) and c.get("awardID") == award.get("id")), {}
    )
    start, end = award_period(release, award, contract_data)
    tender_period = tender.get("tenderPeriod")
    began = parse_date(tender_period.get("startDate")) if isinstance(tender_period, dict) else None
    title = clean_text(contract_data.get("title") or award.get("title") or tender.get("title"), 255)
    title = title or f"OCDS award {award_id or ocid}"[:255]
    lines = [clean_text(contract_data.get("description") or award.get("description") or tender.get("description"))]
    if buyer:
        lines.append(f"Buyer: {buyer}.")
    lines.append(f"Imported from OCDS: ocid {ocid}, award {award_id}.")
    route, agreement = _route_and_agreement(release, tender)
    return ContractPlan(
        reference=make_reference(ocid, award_id),
        ocid=ocid,
        award_id=award_id,
        title=title,
        description="\n\n".join(line for line in lines if line),
        supplier=supplier_plans[0],
        joint_suppliers=supplier_plans[1:],
        total_value=amount,
        start_date=start,
        end_date=end,
        nature=NATURES.get(clean_text(tender.get("mainProcurementCategory")).lower(), Contract.Nature.SERVICES),
        procurement_route=route,
        agreement=agreement,
        cpv_code=cpv_code(tender),
        buyer=buyer,
        release_date=clean_text(release.get("date")),
        procurement_started_on=began if began is not None and began <= start else None,
    )
