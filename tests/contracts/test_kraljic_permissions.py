"""Only the Procurement Unit assesses contracts and runs Kraljic review rounds: every page as every persona.

The pages only read, so the module shares one world (tests/demo_world.py, read_only_world): the personas,
alice's contract and an open review round, built once; each test runs in a savepoint of it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts import services
from tests import factories
from tests.demo_world import read_only_world

PERSONAS = ["anonymous", "alice", "bob", "sam", "priya"]


def _build(people: dict) -> dict:
    contract = factories.alices_contract(alice=people["alice"], sam=people["sam"], priya=people["priya"])
    review_round, _ = services.review_round_open(today=timezone.localdate())
    return {"contract": contract, "review_round": review_round}


world, db, persona, _test_settings = read_only_world(_build)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("contracts:kraljic_assess", [302, 403, 404, 403, 200]),
        ("contracts:kraljic_history", [302, 200, 404, 200, 200]),
        ("contracts:kraljic_matrix", [302, 200, 200, 200, 200]),
        ("contracts:review_rounds", [302, 403, 403, 403, 200]),
        ("contracts:review_round", [302, 403, 403, 403, 200]),
        ("contracts:sro_rules", [302, 403, 403, 403, 200]),
    ],
)
@pytest.mark.parametrize("persona_index", range(len(PERSONAS)))
def test_only_the_procurement_unit_assesses_and_runs_rounds(client, world, db, name, expected, persona_index):
    contract, review_round = world["objects"]["contract"], world["objects"]["review_round"]
    user = world["people"].get(PERSONAS[persona_index])
    if user is not None:
        client.force_login(user)
    args = {
        "contracts:kraljic_assess": [contract.pk],
        "contracts:kraljic_history": [contract.pk],
        "contracts:review_round": [review_round.pk],
    }.get(name, [])
    assert client.get(reverse(name, args=args)).status_code == expected[persona_index]
