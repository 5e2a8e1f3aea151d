"""Market comparison (issue 20 point 5): published awards loaded into their own dataset, classified by
CPV group; a contract's comparable awards with quartiles; the review round's contracts above the market."""

import json
import random
import statistics
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from contracts import services
from contracts.models import Contract
from market.models import MarketAward, annualise
from market.selectors import above_upper_quartile, comparison, quartiles
from tests import factories

REAL_FILE = Path(settings.BASE_DIR).parent / "shared" / "data" / "ocds" / "uk-notices-2025.json"


@pytest.mark.parametrize("size", [1, 2, 4, 5, 7, 10, 33, 100])
def test_quartiles_equal_a_straightforward_computation(size):
    generator = random.Random(size)
    values = [Decimal(generator.randrange(1_000, 5_000_000)) / 100 for _ in range(size)]
    expected = statistics.quantiles(values, n=4, method="inclusive") if size > 1 else [values[0]] * 3
    assert [round(q, 6) for q in quartiles(values)] == [round(Decimal(q), 6) for q in expected]


def award(n, *, group="501", days=730, annual=100_000, **extra) -> MarketAward:
    start = date(2024, 4, 1)
    return MarketAward.objects.create(
        ocid=f"ocds-b5fd17-{n}",
        award_id=f"ocds-b5fd17-{n}-1",
        title=f"Vehicle repairs {n}",
        buyer="Somewhere Council",
        suppliers="Garage Ltd",
        cpv_code=f"{group}12000",
        cpv_group=group,
        value=Decimal(annual) * 2,
        start_date=start,
        end_date=start + timedelta(days=days),
        duration_days=days,
        annual_value=Decimal(annual),
        loaded_at=timezone.now(),
        **extra,
    )


@pytest.fixture
def market(db):
    """Eight comparable awards (group 501, two years) from £60,000 to £130,000 a year, and three that are not."""
    for n, annual in enumerate([60_000, 70_000, 80_000, 90_000, 100_000, 110_000, 120_000, 130_000]):
        award(n, annual=annual)
    award(100, annual=10, group="797")  # another CPV group
    award(101, annual=10, days=3650)  # ten years: not a similar duration
    award(102, annual=10, days=200)


def fleet(contract, annual):
    Contract.objects.filter(pk=contract.pk).update(
        cpv_code="50112000", annual_value=annual, start_date=date(2025, 4, 1), end_date=date(2027, 3, 31)
    )
    contract.refresh_from_db()
    return contract


def test_a_contracts_comparable_awards_are_its_cpv_group_of_similar_duration(market, contract):
    result = comparison(fleet(contract, Decimal("150000")))
    assert result is not None and result.count == 8
    values = [Decimal(v) for v in range(60_000, 130_001, 10_000)]
    assert (
        (result.lower, result.median, result.upper)
        == quartiles(values)
        == (Decimal(77_500), Decimal(95_000), Decimal(112_500))
    )
    assert result.upper == Decimal("112500")
    assert result.position(Decimal("150000")) == "above"
    assert result.position(Decimal("95000")) == "within"
    assert result.position(Decimal("50000")) == "below"


def test_the_contract_page_shows_the_comparison_to_the_procurement_unit(client, priya, market, contract):
    fleet(contract, Decimal("150000"))
    client.force_login(priya)
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "Market comparison" in page
    assert "against 8 published awards in CPV group 501" in page
    assert "upper quartile £112,500 a year" in page
    assert "Priced above the upper quartile" in page


def test_an_oco_and_an_sro_do_not_see_the_comparison(client, alice, sam, market, contract):
    fleet(contract, Decimal("150000"))
    for user in (alice, sam):
        client.force_login(user)
        response = client.get(contract.get_absolute_url())
        assert response.status_code == 200
        assert "Market comparison" not in response.content.decode()


def test_too_few_awards_or_no_cpv_code_say_so(client, priya, contract):
    client.force_login(priya)
    assert "No CPV code is recorded" in client.get(contract.get_absolute_url()).content.decode()
    award(1)
    fleet(contract, Decimal("1"))
    assert "Only 1 published award in CPV group 501" in client.get(contract.get_absolute_url()).content.decode()


def test_the_comparison_panel_query_count_does_not_grow_with_the_market(
    client, priya, contract, django_assert_max_num_queries
):
    fleet(contract, Decimal("150000"))
    client.force_login(priya)
    for n in range(5):
        award(n)
    with django_assert_max_num_queries(40) as few:
        client.get(contract.get_absolute_url())
    for n in range(5, 60):
        award(n, annual=1000 * n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(contract.get_absolute_url()).content.decode()
    assert "against 60 published awards" in page


def test_the_review_round_lists_contracts_priced_above_the_upper_quartile(
    client, priya, market, django_assert_max_num_queries
):
    dear = fleet(factories.ContractFactory(reference="CON-DEAR"), Decimal("150000"))
    fleet(factories.ContractFactory(reference="CON-FAIR"), Decimal("100000"))
    factories.ContractFactory(reference="CON-NOCPV", annual_value=Decimal("9000000"))
    review_round, _ = services.review_round_open(today=date(2027, 1, 1))
    assert [c.reference for c, _ in above_upper_quartile(list(Contract.objects.all()))] == ["CON-DEAR"]
    client.force_login(priya)
    page = client.get(reverse("contracts:review_round", args=[review_round.pk])).content.decode()
    section = page[page.index("Priced above the market") :]
    assert dear.reference in section and "£112,500" in section
    assert "CON-FAIR" not in section and "CON-NOCPV" not in section


# Loading -------------------------------------------------------------------------------------------


def notice(ocid, buyer, *, cpv="50112000", amount=200000, period=True, **award_extra):
    data = {
        "ocid": ocid,
        "id": f"{ocid}-r",
        "date": "2025-03-11T10:14:34Z",
        "tag": ["award"],
        "buyer": {"id": "b", "name": buyer},
        "parties": [{"id": "b", "name": buyer, "roles": ["buyer"]}],
        "tender": {"id": "t", "title": f"Repairs for {buyer}", "classification": {"scheme": "CPV", "id": cpv}},
        "awards": [
            {
                "id": f"{ocid}-1",
                "value": {"amount": amount, "currency": "GBP"},
                "suppliers": [{"id": "s1", "name": "Garage Ltd"}, {"id": "s2", "name": "Tyres plc"}],
                "documents": [{"id": "1", "url": "https://www.contractsfinder.service.gov.uk/Notice/x"}],
                **award_extra,
            }
        ],
    }
    if period:
        data["awards"][0]["contractPeriod"] = {"startDate": "2025-04-01T00:00:00Z", "endDate": "2027-03-31T23:59:59Z"}
    if not cpv:
        del data["tender"]["classification"]
    return data


def test_load_market_awards_keeps_every_buyers_awards_apart_from_the_register(tmp_path, capsys, db):
    path = tmp_path / "notices.json"
    releases = [
        notice("ocds-b5fd17-1", "City of Doncaster Council"),
        notice("ocds-h6vhtk-2", "Police and Crime Commissioner for Anyshire", cpv="79710000-4"),
        notice("ocds-b5fd17-3", "Somewhere", cpv=""),
        notice("ocds-b5fd17-4", "Somewhere", period=False),
        notice("ocds-b5fd17-5", "Somewhere", amount=0),
    ]
    path.write_text(json.dumps({"version": "1.1", "releases": releases}))
    call_command("load_market_awards", str(path))
    assert "2 market awards added, 0 updated, 3 skipped" in capsys.readouterr().out
    assert Contract.objects.count() == 0
    doncaster = MarketAward.objects.get(buyer="City of Doncaster Council")
    assert (doncaster.cpv_code, doncaster.cpv_group, doncaster.source) == ("50112000", "501", "Contracts Finder")
    assert doncaster.suppliers == "Garage Ltd; Tyres plc"
    assert doncaster.annual_value == annualise(Decimal(200000), doncaster.duration_days) == Decimal("100068.49")
    assert MarketAward.objects.get(cpv_group="797").source == "Find a Tender"
    call_command("load_market_awards", str(path))
    assert "0 market awards added, 2 updated" in capsys.readouterr().out
    assert MarketAward.objects.count() == 2


def test_load_market_awards_refuses_a_bad_file_with_a_message(tmp_path, db):
    path = tmp_path / "n.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("load_market_awards", str(path))
    with pytest.raises(CommandError, match="No such file"):
        call_command("load_market_awards", str(tmp_path / "missing.json"))


@pytest.mark.skipif(not REAL_FILE.exists(), reason=f"the real OCDS file is not here: {REAL_FILE}")
def test_loading_the_real_notices(capsys, db):
    call_command("load_market_awards", str(REAL_FILE))
    print(capsys.readouterr().out)
    assert MarketAward.objects.count() == 135
    assert MarketAward.objects.filter(cpv_group="794").count() == 9


def test_the_procurement_unit_loads_notices_on_the_market_page(client, priya, alice, db):
    body = json.dumps({"version": "1.1", "releases": [notice("ocds-b5fd17-1", "Doncaster"), notice("ocds-2", "X")]})
    client.force_login(alice)
    assert client.get(reverse("ocds:market")).status_code == 403
    assert client.post(reverse("ocds:market"), {"file": SimpleUploadedFile("n.json", body.encode())}).status_code == 403
    assert MarketAward.objects.count() == 0
    client.force_login(priya)
    response = client.post(reverse("ocds:market"), {"file": SimpleUploadedFile("n.json", body.encode())}, follow=True)
    page = response.content.decode()
    assert "2 market awards added, 0 updated, 0 skipped." in page
    assert "2 awards loaded." in page and "<td>501</td>" in page
    response = client.post(reverse("ocds:market"), {"file": SimpleUploadedFile("n.json", b"{oops")})
    assert response.status_code == 400 and "not valid JSON" in response.content.decode()
    assert MarketAward.objects.count() == 2
