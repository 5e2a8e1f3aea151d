"""Demo Procurement Act notices in Find a Tender's form: two contracts procured under the Act have their
procurement identifier on Find a Tender (ocid) recorded: CON-2025-004's contract performance notice (UK9) and
contract change notice (UK10), both due, carry it, and so do CON-2026-006's payments over £30,000
(section 70). The notices stay due: the notices pages show their data, their checklist and their OCDS
release, and the Procurement Unit records them as published.

Safe to run twice: the identifier is only set when the contract has none."""

from datetime import date

from accounts.models import User
from contracts.models import Contract
from core.audit import history_user_set

# reference, the procurement's identifier on Find a Tender (made up, in Find a Tender's shape)
FIND_A_TENDER_OCIDS = (("CON-2025-004", "ocds-h6vhtk-04f2a9"), ("CON-2026-006", "ocds-h6vhtk-05c3d1"))


def seed(*, today: date, users: dict[str, User]) -> None:
    for reference, ocid in FIND_A_TENDER_OCIDS:
        contract = Contract.objects.filter(reference=reference, find_a_tender_ocid="").first()
        if contract is not None:
            contract.find_a_tender_ocid = ocid
            history_user_set(contract, users["procurement"])
            contract.save(update_fields=["find_a_tender_ocid", "updated_at"])
