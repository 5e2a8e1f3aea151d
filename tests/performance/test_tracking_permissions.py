"""Who may see and do what on the milestone, MI report and task pages: every page as every persona.

The pages only read, so the module shares one world (tests/demo_world.py, read_only_world): the personas,
alice's contract with a milestone and a received MI report with its file, built once; each test runs in a
savepoint of it."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.conftest import pdf_bytes
from tests.demo_world import read_only_world
from tests.performance.test_performance_tracking import MilestoneFactory, MiReportFactory

PERSONAS = ["anonymous", "alice", "bob", "sam", "priya"]
MATRIX = {
    # alice: the contract's OCO; bob: another OCO; sam: the contract's SRO (reads only); priya: Procurement.
    "milestones": [302, 200, 404, 200, 200],
    "milestone_create": [302, 200, 404, 403, 200],
    "milestone_edit": [302, 200, 404, 403, 200],
    "mi_reports": [302, 200, 404, 200, 200],
    "mi_report_create": [302, 200, 404, 403, 200],
    "mi_report_edit": [302, 200, 404, 403, 200],
    "mi_report_file": [302, 200, 404, 200, 200],
    "tasks": [302, 200, 200, 200, 200],
    "published_kpis": [302, 403, 403, 403, 200],
}


def _build(people: dict) -> dict:
    contract = factories.alices_contract(alice=people["alice"], sam=people["sam"], priya=people["priya"])
    report = MiReportFactory(contract=contract, received_on=dt.date(2026, 10, 20))
    report.file.save("mi.pdf", SimpleUploadedFile("mi.pdf", pdf_bytes()))
    return {"contract": contract, "milestone": MilestoneFactory(contract=contract), "report": report}


world, db, persona, _test_settings = read_only_world(_build)


@pytest.mark.parametrize(
    ("name", "persona", "expected"),
    [(name, p, codes[i]) for name, codes in MATRIX.items() for i, p in enumerate(PERSONAS)],
    indirect=["persona"],
)
def test_tracking_urls_answer_each_persona_as_intended(client, world, name, persona, expected):
    contract, milestone, report = (world["objects"][key] for key in ("contract", "milestone", "report"))
    args = {
        "milestones": [contract.pk],
        "milestone_create": [contract.pk],
        "milestone_edit": [milestone.pk],
        "mi_reports": [contract.pk],
        "mi_report_create": [contract.pk],
        "mi_report_edit": [report.pk],
        "mi_report_file": [report.pk],
        "tasks": [],
        "published_kpis": [],
    }[name]
    if persona is not None:
        client.force_login(persona)
    response = client.get(reverse(f"performance:{name}", args=args))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("accounts:login"))
