"""Who may see and do what on the escalation pages: every page as every persona.

The pages only read, so the module shares one world (tests/demo_world.py, read_only_world): the personas,
alice's contract with an escalation she raised, and bob's contract, built once; each test runs in a
savepoint of it."""

import pytest
from django.urls import reverse

from tests import factories
from tests.contracts.test_escalations import raised
from tests.demo_world import read_only_world

PERSONAS = ["anonymous", "alice", "bob", "sam", "priya", "admin_user"]

# url name -> expected status for each persona, in PERSONAS order.
# alice: the contract's OCO; bob: another OCO; sam: the contract's SRO; priya: Procurement Unit.
MATRIX = {
    "list": [302, 200, 200, 200, 200, 200],
    "detail": [302, 200, 404, 200, 200, 200],
    "manage": [302, 403, 404, 403, 200, 200],
    "raise": [302, 200, 404, 403, 200, 200],
    "supplier_information_create": [302, 200, 404, 403, 200, 200],
}


def _build(people: dict) -> dict:
    contract = factories.alices_contract(alice=people["alice"], sam=people["sam"], priya=people["priya"])
    factories.bobs_contract(bob=people["bob"], priya=people["priya"])
    return {"contract": contract, "escalation": raised(contract, by=contract.oco)}


world, db, persona, _test_settings = read_only_world(_build)


@pytest.mark.parametrize(
    ("name", "persona", "expected"),
    [(name, p, codes[i]) for name, codes in MATRIX.items() for i, p in enumerate(PERSONAS)],
    indirect=["persona"],
)
def test_escalation_urls_answer_each_persona_as_intended(client, world, name, persona, expected):
    contract, escalation = world["objects"]["contract"], world["objects"]["escalation"]
    args = {
        "list": [],
        "detail": [escalation.pk],
        "manage": [escalation.pk],
        "raise": [contract.pk],
        "supplier_information_create": [contract.supplier_id],
    }[name]
    if persona is not None:
        client.force_login(persona)
    response = client.get(reverse(f"escalations:{name}", args=args))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("accounts:login"))
