"""Who may see and do what on the meeting pages: every page as every persona.

The pages only read, so the module shares one world (tests/demo_world.py, read_only_world): the personas,
alice's contract with a meeting, an action and a recorded activity with an attachment, built once; each
test runs in a savepoint of it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.conftest import pdf_bytes
from tests.demo_world import read_only_world
from tests.meeting_factories import ActionFactory, ActivityFactory, MeetingFactory

PERSONAS = ["anonymous", "alice", "bob", "sam", "priya"]
MATRIX = {
    # alice: the contract's OCO; bob: another OCO; sam: the contract's SRO (reads only).
    "contract": [302, 200, 404, 200, 200],
    "create": [302, 200, 404, 403, 200],
    "detail": [302, 200, 404, 200, 200],
    "edit": [302, 200, 404, 403, 200],
    "ics": [302, 200, 404, 200, 200],
    "action_create": [302, 200, 404, 403, 200],
    "action_edit": [302, 200, 404, 403, 200],
    "log": [302, 200, 404, 200, 200],
    "log_csv": [302, 200, 404, 200, 200],
    "activity_attachment": [302, 200, 404, 200, 200],
}


def _build(people: dict) -> dict:
    contract = factories.alices_contract(alice=people["alice"], sam=people["sam"], priya=people["priya"])
    meeting = MeetingFactory(contract=contract)
    activity = ActivityFactory(contract=contract)
    activity.attachment.save("a.pdf", SimpleUploadedFile("a.pdf", pdf_bytes()))
    return {"contract": contract, "meeting": meeting, "action": ActionFactory(meeting=meeting), "activity": activity}


world, db, persona, _test_settings = read_only_world(_build)


@pytest.mark.parametrize(
    ("name", "persona", "expected"),
    [(name, p, codes[i]) for name, codes in MATRIX.items() for i, p in enumerate(PERSONAS)],
    indirect=["persona"],
)
def test_meeting_urls_answer_each_persona_as_intended(client, world, name, persona, expected):
    contract, meeting = world["objects"]["contract"], world["objects"]["meeting"]
    args = {
        "contract": [contract.pk],
        "create": [contract.pk],
        "log": [contract.pk],
        "log_csv": [contract.pk],
        "detail": [meeting.pk],
        "edit": [meeting.pk],
        "ics": [meeting.pk],
        "action_create": [meeting.pk],
        "action_edit": [world["objects"]["action"].pk],
        "activity_attachment": [world["objects"]["activity"].pk],
    }[name]
    if persona is not None:
        client.force_login(persona)
    assert client.get(reverse(f"meetings:{name}", args=args)).status_code == expected
