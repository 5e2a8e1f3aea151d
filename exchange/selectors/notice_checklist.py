"""What to check before publishing a notice on Find a Tender, and what the register knows of its publication."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from contracts.models import Contract
from exchange.selectors.notice_schema import notice_validation_errors

# settings.OCDS_BUYER_ID's default: the force has not set its PPON yet.
PLACEHOLDER_PPON = "GB-PPON-XXXX-0000-XXXX"


@dataclass(frozen=True)
class CheckItem:
    done: bool
    text: str
    hint: str = ""


def notice_checklist(
    *, contract: Contract | None, release: dict, items: list[CheckItem] | None = None
) -> list[CheckItem]:
    """The checks every notice shares (identifiers, parties, the schema), then the notice's own `items`.
    A notice about the force rather than a contract (`contract` None) has no contract or supplier to check."""
    errors = notice_validation_errors(release)
    about_contract = (
        [
            CheckItem(
                bool(contract.finance_reference),
                "The contract's finance system (Agresso) reference is recorded: it identifies the contract on the "
                "notice.",
                "Add it on the contract's Edit page; until then the register reference is used.",
            ),
            CheckItem(
                bool(contract.find_a_tender_ocid),
                "The procurement's identifier on Find a Tender (ocid) is recorded on the contract.",
                "Add it on the contract's Edit page, or let the publication check record it from this notice.",
            ),
        ]
        if contract
        else []
    )
    supplier = (
        [
            CheckItem(
                bool(contract.supplier.companies_house_number),
                "The supplier's Companies House number is recorded.",
                "Add it on the supplier's page.",
            )
        ]
        if contract
        else []
    )
    return [
        *about_contract,
        CheckItem(
            settings.OCDS_BUYER_ID != PLACEHOLDER_PPON,
            f"The force's PPON identifier is set ({settings.OCDS_BUYER_ID}).",
            "Set OCDS_BUYER_ID in the server's settings (docs/production.md).",
        ),
        *supplier,
        *(items or []),
        CheckItem(
            not errors,
            "The notice's data is valid OCDS with Find a Tender's extensions.",
            "; ".join(errors[:3]),
        ),
    ]
