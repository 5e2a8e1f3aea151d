"""The register (or a filtered part of it) as an OCDS 1.1 release package: one release per contract,
with the performance app's milestones as OCDS implementation milestones."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from contracts.models import Contract
from performance.models import Milestone

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "ocds_schema" / "release-schema.json"

# Contract.Status -> the closed OCDS contractStatus codelist.
CONTRACT_STATUS: dict[str, str] = {
    Contract.Status.DRAFT: "pending",
    Contract.Status.ACTIVE: "active",
    Contract.Status.EXPIRED: "terminated",
    Contract.Status.TERMINATED: "terminated",
}
AWARD_STATUS: dict[str, str] = {Contract.Status.DRAFT: "pending"}
# Milestone.Status -> the closed OCDS milestoneStatus codelist.
MILESTONE_STATUS: dict[str, str] = {
    Milestone.Status.SCHEDULED: "scheduled",
    Milestone.Status.MET: "met",
    Milestone.Status.NOT_MET: "notMet",
    Milestone.Status.PARTIALLY_MET: "partiallyMet",
}


def ocds_prefix() -> str:
    """The force's ocid prefix (settings.OCDS_PREFIX, from the environment)."""
    return settings.OCDS_PREFIX


def contract_ocid(contract: Contract) -> str:
    """The procurement's identifier: Find a Tender's when the register knows it, else the force's own."""
    return contract.find_a_tender_ocid or f"{ocds_prefix()}-{contract.reference}"


def publisher() -> dict:
    return {"name": settings.OCDS_PUBLISHER_NAME}


def ocds_datetime(value: date | datetime) -> str:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min, tzinfo=timezone.get_current_timezone())
    return value.astimezone(timezone.get_current_timezone()).isoformat(timespec="seconds")


def _amount(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def money(value: Decimal) -> dict:
    return {"amount": _amount(value), "currency": "GBP"}


def buyer_party() -> dict:
    """The force as buyer: its PPON identifier and name (settings, from the environment)."""
    ppon = settings.OCDS_BUYER_ID
    return {
        "id": ppon,
        "name": settings.OCDS_BUYER_NAME,
        "identifier": {"scheme": "GB-PPON", "id": ppon.removeprefix("GB-PPON-"), "legalName": settings.OCDS_BUYER_NAME},
        "roles": ["buyer"],
    }


def supplier_party(supplier) -> dict:
    party = {"id": f"supplier-{supplier.pk}", "name": supplier.name, "roles": ["supplier"]}
    if supplier.companies_house_number:
        party["id"] = f"GB-COH-{supplier.companies_house_number}"
        party["identifier"] = {
            "scheme": "GB-COH",
            "id": supplier.companies_house_number,
            "legalName": supplier.name,
        }
    if supplier.address:
        party["address"] = {"streetAddress": supplier.address}
    return party


def contract_release(contract: Contract, *, milestones: Iterable[dict] = ()) -> dict:
    """One OCDS release for a contract (its supplier, category and variations loaded)."""
    ocid = contract_ocid(contract)
    buyer = buyer_party()
    supplier = supplier_party(contract.supplier)
    # A joint award: the lead supplier, then the others (prefetched by contracts_for_export).
    suppliers = [supplier, *(supplier_party(s) for s in contract.joint_suppliers.all())]
    # Only agreed variations amend the contract; a proposed one is not yet a change.
    variations = [v for v in contract.variations.all() if v.agreed_on is not None]
    award_id = f"{contract.reference}-award"
    period = {"startDate": ocds_datetime(contract.start_date), "endDate": ocds_datetime(contract.end_date)}
    original_value = (
        contract.original_total_value if contract.original_total_value is not None else contract.total_value
    )
    ocds_contract: dict[str, Any] = {
        "id": contract.reference,
        "awardID": award_id,
        "title": contract.title,
        "status": CONTRACT_STATUS.get(contract.status, "pending"),
        "period": period,
        "value": money(contract.total_value),
    }
    if contract.description:
        ocds_contract["description"] = contract.description
    milestones = list(milestones)
    if milestones:
        ocds_contract["implementation"] = {"milestones": milestones}
    if variations:
        ocds_contract["amendments"] = [
            {
                "id": str(variation.number),
                "date": ocds_datetime(variation.agreed_on or variation.recorded_at),
                "description": variation.description,
                "rationale": variation.reason,
            }
            for variation in variations
        ]
    updated = max([contract.updated_at, *(v.recorded_at for v in variations)])
    return {
        "ocid": ocid,
        "id": f"{contract.reference}-{updated:%Y%m%dT%H%M%S}",
        "date": ocds_datetime(updated),
        "tag": ["contractAmendment"] if variations else ["contract"],
        "initiationType": "tender",
        "language": "en",
        "parties": [buyer, *suppliers],
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "awards": [
            {
                "id": award_id,
                "title": contract.title,
                "status": AWARD_STATUS.get(contract.status, "active"),
                "value": money(original_value),
                "suppliers": [{"id": party["id"], "name": party["name"]} for party in suppliers],
                "contractPeriod": {
                    "startDate": period["startDate"],
                    "endDate": ocds_datetime(contract.original_end_date or contract.end_date),
                },
            }
        ],
        "contracts": [ocds_contract],
    }


def release_package(
    contracts: Iterable[Contract], *, uri: str, milestones: Mapping[int, list[dict]] | None = None
) -> dict:
    """A release package of the given contracts. `milestones` maps a contract id to its OCDS milestones."""
    milestones = milestones or {}
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": ocds_datetime(timezone.now()),
        "publisher": publisher(),
        "releases": [contract_release(c, milestones=milestones.get(c.pk, ())) for c in contracts],
    }


def milestones_by_contract(contract_ids) -> dict[int, list[dict]]:
    """OCDS milestone objects keyed by contract id, in one query."""
    result: dict[int, list[dict]] = defaultdict(list)
    for milestone in Milestone.objects.filter(contract_id__in=contract_ids).order_by("contract_id", "due_date", "pk"):
        item = {
            "id": str(milestone.pk),
            "title": milestone.title,
            "type": "delivery",
            "dueDate": ocds_datetime(milestone.due_date),
            "status": MILESTONE_STATUS.get(milestone.status, "scheduled"),
        }
        if milestone.notes:
            item["description"] = milestone.notes
        if milestone.met_on:
            item["dateMet"] = ocds_datetime(milestone.met_on)
        result[milestone.contract_id].append(item)
    return dict(result)


def contracts_for_export(queryset):
    return queryset.select_related("supplier").prefetch_related("variations", "joint_suppliers").order_by("reference")


@cache
def release_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validation_errors(package: dict) -> list[str]:
    """Every release of the package checked against the shipped OCDS 1.1 release schema."""
    from jsonschema import Draft4Validator, FormatChecker

    validator = Draft4Validator(release_schema(), format_checker=FormatChecker())
    return [
        f"releases[{index}]/{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for index, release in enumerate(package["releases"])
        for error in validator.iter_errors(release)
    ]
