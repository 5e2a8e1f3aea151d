"""Submitting MI through the portal, and the OCO's verification: accepted figures are recorded as KPI
results with their source and rated as usual; a queried one goes back to the supplier, who resubmits.
Every step is on the contract's timeline; the submission is the OCO's task until all is verified."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import Activity
from notifications.models import Kind, Notification
from performance.models import KpiResult
from portal.models import Figure, Submission
from tests.conftest import pdf_bytes
from tests.portal.conftest import mi_report_due, sign_in_verified


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


def _submit(client, report, kpis, figures=("97", "96", "99")):
    data = {"file": SimpleUploadedFile("november.pdf", pdf_bytes("November"))}
    for kpi, figure in zip(kpis, figures, strict=True):
        data[f"kpi_{kpi.pk}"] = figure
        data[f"comment_{kpi.pk}"] = ""
    return client.post(reverse("portal:report", args=[report.pk]), data)


def _verify(client, figure, action, **fields):
    url = reverse("supplier_access:submission", args=[figure.submission_id])
    return client.post(url, {"figure": figure.pk, "action": action, **fields})


def _tasks(user):
    return Notification.objects.filter(recipient=user, kind=Kind.MI_SUBMITTED, resolved_at__isnull=True)


def test_submit_accept_two_query_one_resubmit_accept(client, contract, alice, supplier1, three_kpis):
    report = mi_report_due(contract, by=alice)
    sign_in_verified(client, supplier1)
    assert _submit(client, report, three_kpis).status_code == 302
    submission = Submission.objects.get(mi_report=report)
    assert submission.figures.filter(status=Figure.Status.PENDING).count() == 3
    report.refresh_from_db()
    assert report.received_on == dt.date(2026, 12, 3) and report.file_name == "november.pdf"
    assert _tasks(alice).count() == 1

    client.force_login(alice)
    first, second, third = submission.figures.order_by("kpi__name")
    assert client.get(reverse("supplier_access:submission", args=[submission.pk])).status_code == 200
    _verify(client, first, "accept")
    _verify(client, second, "accept")
    _verify(client, third, "query", reason="Your own dashboard showed 91 for November.")
    result = KpiResult.objects.get(kpi=first.kpi, period_start=dt.date(2026, 11, 1))
    assert result.source == "supplier, verified by Alice Adams" and result.recorded_by == alice
    assert result.get_effective_rating_display() == "Good"
    assert _tasks(alice).count() == 0  # nothing left waiting
    told = Notification.objects.get(recipient=supplier1, kind=Kind.MI_FIGURE_QUERIED)
    assert "dashboard showed 91" in told.body

    sign_in_verified(client, supplier1)
    page = client.get(reverse("portal:report", args=[report.pk])).content.decode()
    assert "Good" in page and "dashboard showed 91" in page
    contract_page = client.get(reverse("portal:contract", args=[contract.pk])).content.decode()
    assert "Good" in contract_page
    response = client.post(
        reverse("portal:report", args=[report.pk]), {f"kpi_{third.kpi_id}": "91", f"comment_{third.kpi_id}": "Fixed"}
    )
    assert response.status_code == 302
    third.refresh_from_db()
    assert third.status == Figure.Status.PENDING and third.actual == 91
    assert _tasks(alice).count() == 1

    client.force_login(alice)
    _verify(client, third, "accept", commentary="Below target: a plan is agreed at the monthly meeting.")
    third.refresh_from_db()
    assert third.status == Figure.Status.ACCEPTED and third.result.actual == 91
    assert _tasks(alice).count() == 0

    kinds = list(Activity.objects.filter(contract=contract).order_by("pk").values_list("kind", flat=True))
    assert kinds.count(Activity.Kind.SUPPLIER_SUBMISSION) == 2  # submitted, resubmitted
    assert kinds.count(Activity.Kind.SUPPLIER_FIGURE_ACCEPTED) == 3
    assert kinds.count(Activity.Kind.SUPPLIER_FIGURE_QUERIED) == 1
    assert Activity.Kind.MI_REPORT in kinds  # received


def test_a_figure_the_kpi_cannot_have_and_a_wrong_file_are_named(client, contract, alice, supplier1, three_kpis):
    report = mi_report_due(contract, by=alice)
    sign_in_verified(client, supplier1)
    page = _submit(client, report, three_kpis, figures=("97", "140", "99")).content.decode()
    assert "A percentage runs from 0 to 100." in page
    data = {"file": SimpleUploadedFile("november.exe", b"MZ")}
    data.update({f"kpi_{k.pk}": "97" for k in three_kpis})
    page = client.post(reverse("portal:report", args=[report.pk]), data).content.decode()
    assert "not an accepted file type" in page
    assert not Submission.objects.exists()


def test_a_poor_figure_needs_the_ocos_commentary_to_be_accepted(client, contract, alice, supplier1, three_kpis):
    report = mi_report_due(contract, by=alice)
    sign_in_verified(client, supplier1)
    _submit(client, report, three_kpis, figures=("70", "96", "99"))
    figure = Figure.objects.get(kpi=three_kpis[0])
    client.force_login(alice)
    page = _verify(client, figure, "accept").content.decode()
    assert "say why" in page
    figure.refresh_from_db()
    assert figure.status == Figure.Status.PENDING


def test_who_may_verify(client, contract, alice, bob, sam, supplier1, three_kpis):
    report = mi_report_due(contract, by=alice)
    sign_in_verified(client, supplier1)
    _submit(client, report, three_kpis)
    figure = Figure.objects.first()
    client.force_login(bob)
    assert _verify(client, figure, "accept").status_code == 404
    client.force_login(sam)
    assert _verify(client, figure, "accept").status_code == 403
    sign_in_verified(client, supplier1)
    assert _verify(client, figure, "accept").status_code == 403
    figure.refresh_from_db()
    assert figure.status == Figure.Status.PENDING


def test_a_query_needs_a_reason(client, contract, alice, supplier1, three_kpis):
    report = mi_report_due(contract, by=alice)
    sign_in_verified(client, supplier1)
    _submit(client, report, three_kpis)
    figure = Figure.objects.first()
    client.force_login(alice)
    assert "Say what is wrong" in _verify(client, figure, "query", reason=" ").content.decode()
