"""A contract's Performance page as its OCO, another OCO, its SRO and the Procurement Unit use it:
recording results inline (htmx) and without JavaScript, corrections, overrides, evidence files and the
page's query budget (defining KPIs and the £5m flag: test_kpi_definition.py)."""

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.dates import add_months
from performance import services
from performance.models import Kpi, KpiResult
from performance.ratings import Rating
from tests.conftest import pdf_bytes
from tests.performance.conftest import KpiFactory

# 10 Nov 2026: October's results are due (by 14 Nov), September's and earlier are overdue.
NOW = "2026-11-10 09:00 +00:00"
HTMX = {"HTTP_HX_REQUEST": "true"}


def page_url(contract) -> str:
    return reverse("performance:contract", args=[contract.pk])


def record_url(kpi) -> str:
    return reverse("performance:result_record", args=[kpi.pk])


def element(html: str, element_id: str) -> str:
    """The opening tag and text up to the next tag of the element with this id (enough for a message)."""
    match = re.search(rf'<[^>]+id="{re.escape(element_id)}"[^>]*>([^<]*)', html)
    assert match, f"no element #{element_id} in the response"
    return match.group(1)


# --- Recording results ------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_oco_records_a_result_with_a_plain_post_and_is_sent_back_to_the_page(client, alice, contract, kpi):
    client.force_login(alice)
    page = client.get(page_url(contract)).content.decode()
    assert f'id="due-{kpi.pk}-20261001"' in page  # October: due
    assert "Overdue" in page  # September and earlier

    response = client.post(
        record_url(kpi), {"period_start": "2026-10-01", "actual": "97.5", "commentary": "Two lines down on the 3rd"}
    )

    assert response.status_code == 303
    assert response["Location"] == f"{page_url(contract)}#kpi-{kpi.pk}"
    result = KpiResult.objects.get()
    assert (result.period_start, result.period_end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert result.actual == Decimal("97.5") and result.rating == Rating.GOOD and result.recorded_by == alice
    page = client.get(response["Location"]).content.decode()
    assert "recorded, rated Good" in page
    assert f'id="due-{kpi.pk}-20261001"' not in page  # no longer due
    assert f'id="result-{result.pk}"' in page
    assert '<span class="badge rating-badge rating-good">Good</span>' in page


@time_machine.travel(NOW, tick=False)
def test_oco_records_a_result_inline_and_gets_back_the_row_with_its_rating_and_the_chart_data(
    client, alice, contract, kpi
):
    client.force_login(alice)
    response = client.post(record_url(kpi), {"period_start": "2026-10-01", "actual": "92", "commentary": ""}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a fragment, not the page
    assert html.lstrip().startswith(f'<div class="due-row due-row-recorded" id="due-{kpi.pk}-20261001"')
    assert "recorded <strong>92%</strong>" in html
    assert '<span class="badge rating-badge rating-approaching">Approaching target</span>' in html
    # The chart's data and the results table come along out of band.
    assert f'<div id="kpi-{kpi.pk}-chart-data" hidden hx-swap-oob="true">' in html
    assert '"actual": [92.0]' in html and '"ratings": ["Approaching target"]' in html
    assert f'<div id="kpi-{kpi.pk}-results" class="kpi-results" hx-swap-oob="true">' in html
    assert 'id="performance-summary"' in html
    assert KpiResult.objects.get().rating == Rating.APPROACHING


BAD_INPUT = [
    # (what is posted, the element next to which the message shows, the message)
    ({"actual": "ninety"}, "actual", "Enter a number"),
    ({"actual": ""}, "actual", "Enter the result."),
    ({"actual": "140"}, "actual", "A percentage runs from 0 to 100."),
    ({"actual": "-3"}, "actual", "A percentage runs from 0 to 100."),
    ({"actual": "97.555"}, "actual", "decimal places"),
    ({"period_start": "2025-12-01"}, "period", "is not the start of a reporting period"),  # before the KPI began
    ({"period_start": "2026-10-15"}, "period", "is not the start of a reporting period"),  # not a period start
    ({"period_start": "2026-12-01"}, "period", "has not started yet"),
    ({"period_start": "October"}, "period", "That is not a date."),
]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
def test_bad_input_comes_back_in_the_row_next_to_the_field_and_nothing_is_saved(
    client, alice, contract, kpi, overrides, field, message
):
    client.force_login(alice)
    data = {"period_start": "2026-10-01", "actual": "97", "commentary": "", **overrides}
    response = client.post(record_url(kpi), data, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "hx-swap-oob" not in html
    start = data["period_start"].replace("-", "") if "-" in data["period_start"] else "20261110"
    assert message in element(html, f"due-{kpi.pk}-{start}-{field}-error")
    if field == "actual":
        assert f'value="{data["actual"]}"' in html  # what was typed stays in the field
    assert not KpiResult.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_bad_input_without_javascript_shows_the_page_again_with_the_message_by_the_field(client, alice, contract, kpi):
    client.force_login(alice)
    response = client.post(record_url(kpi), {"period_start": "2026-10-01", "actual": "140"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing has been saved: please correct the problem below" in html
    assert "A percentage runs from 0 to 100." in element(html, f"due-{kpi.pk}-20261001-actual-error")
    assert not KpiResult.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_period_outside_the_kpis_life_is_refused(client, alice, contract):
    ended = KpiFactory(contract=contract, start_date=date(2026, 1, 1), end_date=date(2026, 6, 30))
    client.force_login(alice)
    response = client.post(record_url(ended), {"period_start": "2026-08-01", "actual": "97"}, **HTMX)
    assert "is not the start of a reporting period" in element(
        response.content.decode(), f"due-{ended.pk}-20260801-period-error"
    )
    assert not KpiResult.objects.exists()
    # Its periods after the end are not asked for either.
    page = client.get(page_url(contract)).content.decode()
    assert f'id="due-{ended.pk}-20260601"' in page and f'id="due-{ended.pk}-20260701"' not in page


@time_machine.travel(NOW, tick=False)
def test_a_stale_form_for_a_period_recorded_meanwhile_does_not_overwrite_it(client, alice, priya, contract, kpi):
    services.kpi_result_record(kpi=kpi, period_start=date(2026, 10, 1), actual=Decimal("96"), by=priya)
    client.force_login(alice)
    response = client.post(record_url(kpi), {"period_start": "2026-10-01", "actual": "50"}, **HTMX)

    message = element(response.content.decode(), f"due-{kpi.pk}-20261001-period-error")
    assert "was recorded already (96%, Good, by Priya Patel" in message
    result = KpiResult.objects.get()
    assert result.actual == Decimal("96") and result.recorded_by == priya


# --- Corrections and overrides ------------------------------------------------------------------------


@time_machine.travel(NOW)  # a ticking clock: history pairs each record with the one before it by time
def test_a_correction_edits_the_single_result_and_the_history_shows_old_and_new(client, alice, contract, kpi):
    client.force_login(alice)
    client.post(record_url(kpi), {"period_start": "2026-10-01", "actual": "97.5", "commentary": "As reported"})
    result = KpiResult.objects.get()
    correct_url = reverse("performance:result_correct", args=[result.pk])

    form = client.get(correct_url, **HTMX).content.decode()  # the inline form, in the results block
    assert f'<tr id="result-{result.pk}" class="result-editing">' in form
    assert 'value="97.50"' in form

    response = client.post(correct_url, {"actual": "85", "commentary": "Supplier re-ran the report"}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<span class="badge rating-badge rating-requires_improvement">Requires improvement</span>' in html
    assert f'<div id="kpi-{kpi.pk}-chart-data" hidden hx-swap-oob="true">' in html and '"actual": [85.0]' in html
    assert KpiResult.objects.count() == 1
    result.refresh_from_db()
    assert result.actual == Decimal("85") and result.rating == Rating.REQUIRES_IMPROVEMENT

    history = client.get(reverse("performance:kpi_history", args=[kpi.pk]))
    changed = [e for e in history.context["entries"] if e.action == "Changed"]
    assert len(changed) == 1 and changed[0].subject == "Result for October 2026" and changed[0].who == str(alice)
    changes = {c.label: (c.old, c.new) for c in changed[0].changes}
    assert changes["Actual"] == ("97.50", "85.00")
    assert changes["Rating"] == ("Good", "Requires improvement")
    assert changes["Commentary"] == ("As reported", "Supplier re-ran the report")


@time_machine.travel(NOW, tick=False)
def test_a_correction_without_javascript_redirects_back(client, alice, contract, kpi):
    result = services.kpi_result_record(
        kpi=kpi, period_start=date(2026, 9, 1), actual=Decimal("70"), commentary="Staff off sick", by=alice
    )
    client.force_login(alice)
    url = reverse("performance:result_correct", args=[result.pk])
    assert client.get(url).status_code == 200  # its own small page
    bad = client.post(url, {"actual": "101"})
    assert bad.status_code == 200 and "A percentage runs from 0 to 100." in bad.content.decode()
    response = client.post(url, {"actual": "91"})
    assert response.status_code == 303 and response["Location"].endswith(f"#kpi-{kpi.pk}")
    result.refresh_from_db()
    assert result.actual == Decimal("91") and result.rating == Rating.APPROACHING


@time_machine.travel(NOW, tick=False)
def test_an_override_needs_a_reason(client, alice, contract, kpi):
    result = services.kpi_result_record(kpi=kpi, period_start=date(2026, 9, 1), actual=Decimal("99"), by=alice)
    client.force_login(alice)
    url = reverse("performance:result_override", args=[result.pk])

    response = client.post(url, {"rating_override": "other", "override_reason": "  "}, **HTMX)
    html = response.content.decode()
    assert "Say why the rating differs from the calculated one." in html
    assert re.search(r'id="error_1_override-\d+-override_reason"[^>]*>\s*<strong>Say why', html)
    result.refresh_from_db()
    assert result.rating_override == ""

    response = client.post(url, {"rating_override": "other", "override_reason": "Outage caused by the force's network"})
    assert response.status_code == 303
    result.refresh_from_db()
    assert result.effective_rating == Rating.OTHER and result.rating == Rating.GOOD
    page = client.get(page_url(contract)).content.decode()
    assert '<span class="badge rating-badge rating-other">Other</span>' in page
    assert "Overridden; calculated: Good" in page and "Outage caused by the force&#x27;s network" in page


# --- Evidence -------------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_evidence_is_uploaded_with_the_result_and_downloaded_only_by_those_who_see_the_contract(
    client, alice, bob, sam, contract, kpi
):
    client.force_login(alice)
    evidence = SimpleUploadedFile("October report.pdf", pdf_bytes("october"))
    client.post(record_url(kpi), {"period_start": "2026-10-01", "actual": "97", "evidence": evidence})
    result = KpiResult.objects.get()
    assert result.evidence_name == "October report.pdf"
    assert "October report" not in result.evidence.name  # stored under a random name
    url = reverse("performance:evidence", args=[result.pk])

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="October report.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == pdf_bytes("october")
    client.force_login(sam)
    assert client.get(url).status_code == 200
    client.force_login(bob)
    assert client.get(url).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_evidence_that_is_not_a_document_is_refused_next_to_the_field(client, alice, contract, kpi):
    client.force_login(alice)
    data = {"period_start": "2026-10-01", "actual": "97", "evidence": SimpleUploadedFile("r.pdf", b"MZ\x90\x00")}
    response = client.post(record_url(kpi), data, **HTMX)
    assert "does not contain a PDF document" in element(
        response.content.decode(), f"due-{kpi.pk}-20261001-evidence-error"
    )
    assert not KpiResult.objects.exists()


# --- Query budget ---------------------------------------------------------------------------------------

# Session, user, roles, contract, KPIs, results, who recorded them, the bell's count, and the session's
# save with its two savepoint statements: none of them grows with the KPIs or the results.
PAGE_QUERY_BUDGET = 12  # the improvement plans are one more


def _kpis_with_results(contract, *, kpis: int, results: int, by) -> None:
    """`kpis` monthly KPIs, each with `results` monthly results up to October 2026 (bulk-created)."""
    first = add_months(date(2026, 10, 1), -(results - 1))
    for number in range(kpis):
        kpi = KpiFactory(contract=contract, name=f"KPI {number:02d}", start_date=first)
        periods = kpi.periods(until=date(2026, 10, 31))
        assert len(periods) == results
        KpiResult.objects.bulk_create(
            KpiResult(
                kpi=kpi,
                period_start=p.start,
                period_end=p.end,
                actual=Decimal(70 + (i * 7) % 31),
                rating=kpi.rate(Decimal(70 + (i * 7) % 31)),
                recorded_by=by,
            )
            for i, p in enumerate(periods)
        )


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("kpis", "results"), [(1, 2), (10, 60)])
def test_the_page_costs_the_same_queries_for_one_kpi_or_ten_with_five_years_of_results(
    client, alice, contract, kpis, results, django_assert_max_num_queries
):
    _kpis_with_results(contract, kpis=kpis, results=results, by=alice)
    assert KpiResult.objects.count() == kpis * results
    client.force_login(alice)
    with django_assert_max_num_queries(PAGE_QUERY_BUDGET):
        response = client.get(page_url(contract))
    assert response.status_code == 200
    page = response.context["page"]
    assert len(page.panels) == kpis and sum(len(p.results) for p in page.panels) == kpis * results


@time_machine.travel(NOW, tick=False)
def test_the_pages_results_carry_their_kpi_and_recorder_and_each_its_own_values(
    client, alice, priya, contract, django_assert_num_queries
):
    _kpis_with_results(contract, kpis=2, results=3, by=alice)
    kpi = Kpi.objects.order_by("name").first()
    services.kpi_result_override(
        result=kpi.results.order_by("period_start").first(), rating=Rating.INADEQUATE, reason="Not verified", by=priya
    )
    client.force_login(alice)
    page = client.get(page_url(contract)).context["page"]
    with django_assert_num_queries(0):
        shown = [
            (r.pk, r.kpi.name, str(r.recorded_by), r.period_start, r.actual, r.effective_rating, r.override_reason)
            for panel in page.panels
            for r in panel.results
        ]
    stored = [
        (r.pk, r.kpi.name, str(r.recorded_by), r.period_start, r.actual, r.effective_rating, r.override_reason)
        for r in KpiResult.objects.select_related("kpi", "recorded_by").order_by("kpi__name", "period_start")
    ]
    assert shown == stored and any(row[-1] == "Not verified" for row in shown)
    result = page.panels[0].results[0]
    result.refresh_from_db()  # still a result like any other
    assert result.updated_at is not None and not result._state.adding


@time_machine.travel(NOW, tick=False)
def test_ten_kpis_show_every_due_period_and_the_latest_twelve_results(client, alice, contract):
    _kpis_with_results(contract, kpis=2, results=60, by=alice)
    client.force_login(alice)
    html = client.get(page_url(contract)).content.decode()
    assert html.count("results-table") == 2
    kpi = Kpi.objects.order_by("name").first()
    assert len(re.findall(r'<tr id="result-\d+">', html)) == 24  # 12 per KPI
    assert f'id="kpi-{kpi.pk}-chart-json"' in html
    assert "Show the data (60 results)" in html
    assert "Every result due has been recorded." in html


@time_machine.travel(NOW, tick=False)
def test_the_summary_shows_each_kpis_latest_rating_and_counts_the_last_twelve_months(client, alice, contract, kpi):
    other = KpiFactory(contract=contract, name="Invoices accurate", start_date=date(2025, 4, 1))
    for period_start, actual in ((date(2025, 4, 1), "50"), (date(2025, 11, 1), "99"), (date(2026, 9, 1), "85")):
        services.kpi_result_record(
            kpi=other, period_start=period_start, actual=Decimal(actual), commentary="Explained", by=alice
        )
    services.kpi_result_record(kpi=kpi, period_start=date(2026, 10, 1), actual=Decimal("97"), by=alice)
    client.force_login(alice)
    response = client.get(page_url(contract))
    counts = {row.label: row.count for row in response.context["page"].rating_counts}
    # April 2025 ended more than twelve months before 10 Nov 2026; November 2025 did not.
    assert counts == {"Good": 2, "Approaching target": 0, "Requires improvement": 1, "Inadequate": 0, "Other": 0}
    html = response.content.decode()
    assert "Results of periods ending on or after 10 Nov 2025: 3 in all." in html
    latest = re.search(rf'<a href="#kpi-{other.pk}">Invoices accurate</a>.*?</tr>', html, re.S).group(0)
    assert "September 2026" in latest and "85%" in latest and "Requires improvement" in latest


def test_the_charts_come_from_static_files_not_a_cdn(client, alice, contract, kpi):
    client.force_login(alice)
    html = client.get(page_url(contract)).content.decode()
    assert '<script src="/static/vendor/chartjs/chart.umd.min.js" defer></script>' in html
    assert '<script src="/static/js/performance.js" defer></script>' in html
    assert not re.search(r'<script[^>]+src="(https?:)?//', html)
    assert f'<script id="kpi-{kpi.pk}-chart-json" type="application/json">' in html


# --- The results table's rows -------------------------------------------------------------------------


@time_machine.travel("2026-07-31 23:30 +00:00", tick=False)  # already 1 Aug in London (BST)
def test_each_result_row_links_to_its_own_correction_override_evidence_and_actions(client, alice, sam, contract, kpi):
    evidence = SimpleUploadedFile("June report.pdf", pdf_bytes("june"))
    poor = services.kpi_result_record(
        kpi=kpi,
        period_start=date(2026, 6, 1),
        actual=Decimal("70"),
        commentary="Staff off sick",
        evidence=evidence,
        by=alice,
    )
    good = services.kpi_result_record(kpi=kpi, period_start=date(2026, 5, 1), actual=Decimal("97"), by=alice)
    client.force_login(alice)

    html = client.get(page_url(contract)).content.decode()

    rows = {pk: re.search(rf'<tr id="result-{pk}">(.*?)</tr>', html, re.S).group(1) for pk in (poor.pk, good.pk)}
    for result in (poor, good):
        row = rows[result.pk]
        correct = reverse("performance:result_correct", args=[result.pk])
        override = reverse("performance:result_override", args=[result.pk])
        assert f'href="{correct}" hx-get="{correct}"' in row and f'href="{override}" hx-get="{override}"' in row
        assert '<span class="text-nowrap">1 Aug 2026</span>' in row  # the local date it was recorded
    assert f'<a href="{reverse("performance:evidence", args=[poor.pk])}">June report.pdf</a>' in rows[poor.pk]
    assert "Evidence:" not in rows[good.pk]
    plan = reverse("performance:improvement_plan_start", args=[poor.pk])
    assert "Raise an escalation" in rows[poor.pk] and f'href="{plan}"' in rows[poor.pk]
    assert "Raise an escalation" not in rows[good.pk]
    data = '<tr><th scope="row" class="fw-normal">{}</th><td class="numeric">{}</td><td>{}</td></tr>'
    assert (
        data.format("May 2026", "97%", "Good") + data.format("June 2026", "70%", "Inadequate") in html
    )  # oldest first
    client.force_login(sam)  # the SRO reads the rows, with no links to change them
    html = client.get(page_url(contract)).content.decode()
    assert reverse("performance:result_correct", args=[poor.pk]) not in html


@time_machine.travel(NOW, tick=False)
def test_the_sro_sees_what_is_due_without_forms(client, sam, contract, kpi):
    client.force_login(sam)
    html = client.get(page_url(contract)).content.decode()
    assert "Results to record" in html and "was due by" in html
    assert 'name="actual"' not in html and "Define a KPI" not in html and "Correct<" not in html


def test_the_page_of_a_contract_without_kpis_invites_the_first(client, priya, contract):
    client.force_login(priya)
    html = client.get(page_url(contract)).content.decode()
    assert "No KPIs or SLAs are defined for this contract yet." in html
    assert reverse("performance:kpi_create", args=[contract.pk]) in html
