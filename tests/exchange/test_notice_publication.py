"""Confirming notices against Find a Tender's public OCDS API, served in the test by a stub HTTP server
(http.server in a thread on 127.0.0.1): a recorded-shape release package, not found (404), and a server
error then success. The job retries on a later run, waiting longer each time, and its run needs
attention on the Operations page while a notice is not confirmed."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from contracts.models import Activity, ContractEnding
from contracts.services import contract_end
from exchange.models import NoticePublication
from exchange.services import publication
from exchange.tasks import confirm_notice_publications
from notifications.models import JobRun
from tests.exchange.test_notices import big_contract
from tests.find_a_tender import PACKAGE, package_for

pytestmark = pytest.mark.django_db

FOUND_OCID = PACKAGE["releases"][0]["ocid"]


@pytest.fixture
def recorded(priya):
    """A contract termination notice recorded as published, as 012345-2026."""
    with time_machine.travel("2026-04-02 09:00 +00:00"):
        contract = big_contract()
        ending = contract_end(
            ending=ContractEnding(contract=contract, kind="expired", ended_on=date(2026, 3, 31), reason="Not renewed"),
            by=priya,
        )
        return publication.termination_notice_publish(
            ending=ending, notice_id="012345-2026", published_on=date(2026, 4, 1), by=priya
        )


def run_job_at(moment: str) -> JobRun:
    with time_machine.travel(moment, tick=False):
        confirm_notice_publications()
    return JobRun.objects.filter(job="notice-publication-confirm").latest()


def test_a_notice_found_on_find_a_tender_is_confirmed_with_its_ocid_once(find_a_tender, recorded):
    find_a_tender.answers["012345-2026"] = [(200, package_for("012345-2026"))]
    run = run_job_at("2026-04-02 10:25 +01:00")
    assert find_a_tender.requests == ["/api/1.0/ocdsReleasePackages/012345-2026"]
    assert (run.outcome, run.detail) == ("ok", "1 notice confirmed on Find a Tender.")
    recorded.refresh_from_db()
    assert recorded.confirmed_at == datetime(2026, 4, 2, 9, 25, tzinfo=UTC)
    assert (recorded.ocid, recorded.last_error, recorded.attempts) == (FOUND_OCID, "", 1)
    contract = recorded.contract
    contract.refresh_from_db()
    assert contract.find_a_tender_ocid == FOUND_OCID  # the contract had none: the notices now carry it
    [entry] = Activity.objects.about(recorded)
    assert entry.summary == (
        f"Contract termination notice (UK11) 012345-2026 confirmed on Find a Tender (procurement {FOUND_OCID})"
    )

    run_job_at("2026-04-02 11:25 +01:00")  # nothing left to confirm: Find a Tender is not asked again
    assert len(find_a_tender.requests) == 1


def test_a_notice_find_a_tender_does_not_have_is_tried_again_later_and_shown_on_the_operations_page(
    client, admin_user, find_a_tender, recorded
):
    run = run_job_at("2026-04-02 10:25 +01:00")
    recorded.refresh_from_db()
    assert recorded.confirmed_at is None and recorded.attempts == 1
    assert recorded.last_error == "Find a Tender has no notice with this identifier (404)."
    assert recorded.next_attempt_at == datetime(2026, 4, 2, 9, 55, tzinfo=UTC)  # 30 minutes on
    assert run.outcome == JobRun.Outcome.ATTENTION
    assert "CON-BIG notice 012345-2026: Find a Tender has no notice with this identifier (404)." in run.detail

    with time_machine.travel("2026-04-02 10:30 +01:00"):
        client.force_login(admin_user)
        page = client.get(reverse("notifications:operations")).content.decode()
    assert "The last run could not do everything" in page and "012345-2026" in page

    run_job_at("2026-04-02 10:50 +01:00")  # before its next try: not asked
    assert len(find_a_tender.requests) == 1
    run_job_at("2026-04-02 11:25 +01:00")  # the second failure waits an hour
    recorded.refresh_from_db()
    assert recorded.attempts == 2 and recorded.next_attempt_at == datetime(2026, 4, 2, 11, 25, tzinfo=UTC)
    assert publication.retry_wait(10) == timedelta(days=1)  # never more than a day


def test_a_server_error_then_success(client, priya, find_a_tender, recorded):
    find_a_tender.answers["012345-2026"] = [
        (500, b"<html>Internal Server Error</html>"),
        (200, package_for("012345-2026")),
    ]
    run = run_job_at("2026-04-02 10:25 +01:00")
    recorded.refresh_from_db()
    assert recorded.last_error == "Find a Tender answered with an error (500)." and recorded.confirmed_at is None
    assert run.outcome == JobRun.Outcome.ATTENTION

    with time_machine.travel("2026-04-02 10:30 +01:00"):
        client.force_login(priya)
        page = client.get(reverse("exchange:termination_notice", args=[recorded.ending_id])).content.decode()
    assert "Not confirmed" in page and "Find a Tender answered with an error (500)." in page

    run = run_job_at("2026-04-02 11:25 +01:00")
    recorded.refresh_from_db()
    assert recorded.confirmed_at is not None and recorded.ocid == FOUND_OCID and recorded.last_error == ""
    assert run.outcome == JobRun.Outcome.OK
    assert find_a_tender.requests == ["/api/1.0/ocdsReleasePackages/012345-2026"] * 2


def test_a_notice_about_another_procurement_is_not_confirmed(find_a_tender, recorded):
    contract = recorded.contract
    contract.find_a_tender_ocid = "ocds-h6vhtk-04a1b2"
    contract.save()
    find_a_tender.answers["012345-2026"] = [(200, package_for("012345-2026"))]
    run_job_at("2026-04-02 10:25 +01:00")
    recorded.refresh_from_db()
    assert recorded.confirmed_at is None
    assert recorded.last_error.startswith(f"The notice is about procurement {FOUND_OCID}, not ocds-h6vhtk-04a1b2")


def test_an_answer_that_is_not_a_release_package_is_not_a_confirmation(find_a_tender, recorded):
    find_a_tender.answers["012345-2026"] = [(200, b'{"releases": []}')]
    run_job_at("2026-04-02 10:25 +01:00")
    recorded.refresh_from_db()
    assert recorded.confirmed_at is None and "no release" in recorded.last_error


def test_correcting_the_identifier_checks_it_afresh(find_a_tender, recorded, priya):
    run_job_at("2026-04-02 10:25 +01:00")  # 404
    with time_machine.travel("2026-04-02 10:40 +01:00"):
        publication.termination_notice_publish(
            ending=recorded.ending, notice_id="012346-2026", published_on=date(2026, 4, 1), by=priya
        )
    recorded.refresh_from_db()
    assert (recorded.notice_id, recorded.attempts, recorded.last_error, recorded.next_attempt_at) == (
        "012346-2026",
        0,
        "",
        None,
    )
    find_a_tender.answers["012346-2026"] = [(200, package_for("012346-2026"))]
    run_job_at("2026-04-02 10:45 +01:00")
    recorded.refresh_from_db()
    assert recorded.confirmed_at is not None
    assert NoticePublication.objects.count() == 1
