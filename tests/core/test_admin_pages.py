"""The Django admin lists every model of the register's apps, and opens the change page of one of each.

The pages only read, so the module shares one world (tests/demo_world.py, read_only_world): the personas,
alice's contract and a contact of its supplier, built once; each test runs in a savepoint of it."""

import pytest
from django.apps import apps
from django.urls import reverse

from tests import factories
from tests.demo_world import read_only_world


def _build(people: dict) -> dict:
    contract = factories.alices_contract(alice=people["alice"], sam=people["sam"], priya=people["priya"])
    factories.SupplierContactFactory(supplier=contract.supplier)
    return {"contract": contract}


world, db, persona, _test_settings = read_only_world(_build)


@pytest.mark.parametrize(
    "model",
    [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"accounts", "suppliers", "contracts", "notifications", "meetings", "performance"}
        and not m.__name__.startswith("Historical")
    ],
    ids=lambda m: m.__name__,
)
def test_admin_lists_every_model(client, world, db, model):
    client.force_login(world["people"]["admin_user"])
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url, {"q": "a"}).status_code == 200
    obj = model._default_manager.first()
    if obj is not None:
        change = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
        assert client.get(change).status_code == 200
