"""The payments compliance notice (section 69, Find a Tender's UK8) of each ended reporting period: only
ended periods have a notice page, the release of a period without payments still validates, and a
correction of the notice identifier is checked afresh. (Over the demo, with publication and confirmation:
tests/demo/test_seed_demo.py.)"""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from exchange.models import NoticePublication, PaymentComplianceApproval
from exchange.selectors.notice_schema import notice_validation_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def _after_the_first_period():
    with time_machine.travel("2026-10-15 09:00 +01:00", tick=False):
        yield


@pytest.mark.usefixtures("_after_the_first_period")
def test_only_an_ended_reporting_period_has_a_notice(client, priya):
    client.force_login(priya)
    page = client.get(reverse("exchange:payments_compliance_notices"))
    assert [row["notice"].period_start for row in page.context["rows"]] == [date(2026, 4, 1)]
    assert "1 notice is not yet recorded as published." in page.content.decode()
    for period_start in ("2026-10-01", "2025-10-01", "2026-04-02", "not-a-date"):  # running, before the Act, no period
        url = reverse("exchange:payments_compliance_notice", args=[period_start])
        assert client.get(url).status_code == 404, period_start


@pytest.mark.usefixtures("_after_the_first_period")
def test_a_period_without_payments_has_a_valid_notice_about_the_force_alone(client, priya):
    client.force_login(priya)
    release = client.get(reverse("exchange:payments_compliance_notice", args=["2026-04-01"]), {"format": "ocds"}).json()
    assert notice_validation_errors(release) == []
    assert [party["roles"] for party in release["parties"]] == [["buyer"]]
    assert "contracts" not in release and "awards" not in release
    [document] = release["planning"]["documents"]
    assert document["description"] == "Payments compliance, 1 Apr 2026 to 30 Sep 2026: no invoice paid in the period."


@pytest.mark.usefixtures("_after_the_first_period")
def test_a_corrected_notice_identifier_is_kept_on_the_one_publication_of_the_period(client, priya):
    PaymentComplianceApproval.objects.create(
        period_start=date(2026, 4, 1),
        approver_name="Dana Finch",
        approver_role="Director of Finance",
        approved_on=date(2026, 10, 10),
        recorded_by=priya,
    )
    client.force_login(priya)
    url = reverse("exchange:payments_compliance_notice", args=["2026-04-01"])
    too_early = client.post(url, {"notice_id": "011111-2026", "published_on": "2026-09-30"})
    assert "cannot be published before its reporting period has ended" in too_early.content.decode()
    assert not NoticePublication.objects.exists()
    assert client.post(url, {"notice_id": "011111-2026", "published_on": "2026-10-12"}).status_code == 302
    assert client.post(url, {"notice_id": "022222-2026", "published_on": "2026-10-12"}).status_code == 302
    publication = NoticePublication.objects.get()
    assert (publication.notice_id, publication.notice_type, publication.reporting_period_start) == (
        "022222-2026",
        "UK8",
        date(2026, 4, 1),
    )
    assert publication.get_absolute_url() == url
