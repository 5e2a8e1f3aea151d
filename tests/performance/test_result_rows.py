"""The Performance tab's result rows, built in Python (performance/rows.py): what people typed is
escaped once and shown as they typed it, an override says why, and a poor result's escalation link
carries the KPI, the period and the commentary."""

import re
from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.urls import reverse

from performance import services
from performance.ratings import Rating

pytestmark = pytest.mark.django_db


def _row(html: str, pk: int) -> str:
    return re.search(rf'<tr id="result-{pk}">(.*?)</tr>', html, re.S).group(1)


@time_machine.travel("2026-07-10 10:00 +00:00", tick=False)
def test_a_result_row_escapes_what_people_typed_and_keeps_its_line_breaks(client, alice, contract, kpi):
    alice.first_name, alice.last_name = "Alice", "O'Brien <OCO>"
    alice.save()
    result = services.kpi_result_record(
        kpi=kpi,
        period_start=date(2026, 6, 1),
        actual=Decimal("97"),
        commentary="Calls <b>up</b> & queue\nshorter",
        by=alice,
    )
    services.kpi_result_override(result=result, rating=Rating.INADEQUATE, reason="Figures <not> verified", by=alice)
    client.force_login(alice)

    row = _row(client.get(reverse("performance:contract", args=[contract.pk])).content.decode(), result.pk)

    assert "Calls &lt;b&gt;up&lt;/b&gt; &amp; queue<br>shorter" in row
    assert "Alice O&#x27;Brien &lt;OCO&gt; · " in row
    assert "Overridden; calculated: Good" in row and "Why overridden: Figures &lt;not&gt; verified" in row
    assert "<b>" not in row and "<OCO>" not in row and "<not>" not in row


@time_machine.travel("2026-07-10 10:00 +00:00", tick=False)
def test_a_poor_results_escalation_link_carries_the_kpi_the_period_and_the_commentary(client, alice, contract, kpi):
    poor = services.kpi_result_record(
        kpi=kpi, period_start=date(2026, 6, 1), actual=Decimal("70"), commentary="Staff off sick", by=alice
    )
    client.force_login(alice)

    row = _row(client.get(reverse("performance:contract", args=[contract.pk])).content.decode(), poor.pk)

    link = re.search(r'<a class="d-block" href="([^"]+)">Raise an escalation', row).group(1).replace("&amp;", "&")
    assert urlsplit(link).path == reverse("escalations:raise", args=[contract.pk])
    query = parse_qs(urlsplit(link).query)
    assert query["title"] == [f"{kpi.name}: Inadequate for June 2026"]
    assert query["details"] == [f"{kpi.name} was 70% for June 2026, rated Inadequate.\nStaff off sick"]
    assert query["severity"] == ["high"]
    assert f'<span class="visually-hidden"> about {kpi.name}, June 2026</span>' in row
