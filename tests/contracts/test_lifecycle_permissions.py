"""Who may see and do what on the contract lifecycle pages: every page as every persona.

The pages only read, so the module shares one world (tests/demo_world.py, read_only_world): the personas
and one of each lifecycle object, built once on the pinned day; each test runs in a savepoint of it."""

import pytest
from django.urls import reverse

from tests import factories
from tests.contracts.lifecycle_helpers import PINNED, lifecycle_objects, make_extendable
from tests.demo_world import read_only_world

PERSONAS = ["anonymous", "alice", "bob", "sam", "priya", "admin_user"]
# Every test runs on the same day as the world was built.
pytestmark = pytest.mark.usefixtures("_pinned_clock")

READ, WRITE, SAVING, PROCUREMENT, OWN = "read", "write", "saving", "procurement", "own"
DECIDE = "decide"
EXPECTED = {
    # alice is the contract's OCO, bob another OCO, sam its SRO, priya the Procurement Unit.
    READ: {"alice": 200, "bob": 404, "sam": 200, "priya": 200, "admin_user": 200},
    WRITE: {"alice": 403, "bob": 404, "sam": 403, "priya": 200, "admin_user": 200},
    SAVING: {"alice": 200, "bob": 404, "sam": 403, "priya": 200, "admin_user": 200},
    # The OCO owns the renewal decision on their contract; the SRO is told when it is overdue.
    DECIDE: {"alice": 200, "bob": 404, "sam": 403, "priya": 200, "admin_user": 200},
    PROCUREMENT: {"alice": 403, "bob": 403, "sam": 403, "priya": 200, "admin_user": 200},
    OWN: {"alice": 200, "bob": 200, "sam": 200, "priya": 200, "admin_user": 200},
}
URLS = [
    ("lifecycle:contract", "contract", READ),
    ("lifecycle:variation_create", "contract", WRITE),
    ("lifecycle:variation_notice", "variation", WRITE),
    ("lifecycle:variation_agree", "variation", WRITE),
    ("lifecycle:extension_create", "contract", WRITE),
    ("lifecycle:extension_edit", "option", WRITE),
    ("lifecycle:renewal_decide", "contract", DECIDE),
    ("lifecycle:contract_end", "contract", WRITE),
    ("lifecycle:termination_notice", "ending", WRITE),
    ("lifecycle:saving_create", "contract", SAVING),
    ("lifecycle:renewals", None, PROCUREMENT),
    ("lifecycle:savings", None, PROCUREMENT),
    ("lifecycle:training", None, PROCUREMENT),
    ("lifecycle:training_add", None, PROCUREMENT),
    ("lifecycle:handover", None, PROCUREMENT),
    ("lifecycle:training_mine", None, OWN),
]


def _build(people: dict) -> dict:
    """The lifecycle objects of tests/contracts/conftest.py on alice's contract, and bob's contract."""
    alice, sam, priya = people["alice"], people["sam"], people["priya"]
    contract = make_extendable(factories.alices_contract(alice=alice, sam=sam, priya=priya), by=priya)
    factories.bobs_contract(bob=people["bob"], priya=priya)
    return lifecycle_objects(contract, alice=alice, sam=sam, priya=priya)


world, db, persona, _test_settings = read_only_world(_build, clock=PINNED)


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
@pytest.mark.parametrize(("name", "target", "kind"), URLS)
def test_permission_matrix(client, world, persona, name, target, kind):
    objects = world["objects"]
    url = reverse(name, args=[objects[target].pk] if target else [])
    if persona is not None:
        client.force_login(persona)
    response = client.get(url)
    if persona is None:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        return
    assert response.status_code == EXPECTED[kind][persona.username if persona.username != "root" else "admin_user"]
