"""Finding 5 of issue 14: the API's `oco` and `sro` filters are scoped like `supplier` and
`contract`: a user outside what the caller may see answers exactly as an id that does not exist."""

import pytest

from tests import factories


@pytest.mark.parametrize("name", ["oco", "sro"])
def test_oco_and_sro_filters_do_not_reveal_which_user_ids_exist(
    client, alice, bob, sam, contract, other_contract, name
):
    other_contract.sro = factories.sro(username="tess")
    other_contract.save(update_fields=["sro"])
    outside = {"oco": bob, "sro": other_contract.sro}[name]
    own = {"oco": alice, "sro": sam}[name]
    client.force_login(alice)

    missing = client.get(f"/api/contracts/?{name}=999999999")
    hidden = client.get(f"/api/contracts/?{name}={outside.pk}")
    assert missing.status_code == hidden.status_code == 400
    assert hidden.json() == missing.json()

    response = client.get(f"/api/contracts/?{name}={own.pk}")
    assert response.status_code == 200
    assert [c["reference"] for c in response.json()["results"]] == ["CON-ALICE"]


def test_procurement_filters_by_any_oco(client, priya, bob, other_contract):
    client.force_login(priya)
    response = client.get(f"/api/contracts/?oco={bob.pk}")
    assert response.status_code == 200
    assert [c["reference"] for c in response.json()["results"]] == ["CON-BOB"]
