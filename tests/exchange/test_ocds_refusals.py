"""Finding 8 of issue 14: OCDS inputs that answered 500 are refused with a clear message, and every
download's file name goes through one helper (core.exports.attachment) that cleans it."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import Contract
from tests.exchange.test_ocds import award, package, release

BIG = "9" * 5000


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '{"releases": [{"ocid": "ocds-1", "awards": [{"value": {"amount": ' + BIG + "}}]}]}",
            "The file holds a whole number of 5,000 digits; no OCDS value has more than 30.",
        ),
        (
            json.dumps(package(release("ocds-1\r\nSet-Cookie: x=1", awards=[award("a-1")]))),
            "Release 1 has an ocid with a line break or other control character (“ocds-1  Set-Cookie: x=1”)",
        ),
        (
            json.dumps(package(release("ocds-1", awards=[award("a-1\n2")]))),
            "Release 1 has an award id with a line break or other control character",
        ),
    ],
    ids=["5000-digit-integer", "ocid-with-crlf", "award-id-with-lf"],
)
def test_ocds_upload_refuses_huge_integers_and_control_characters_with_a_message(client, priya, body, message):
    client.force_login(priya)
    response = client.post(reverse("ocds:import"), {"file": SimpleUploadedFile("notices.json", body.encode())})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Contract.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "ocds-imports").exists()


def test_log_csv_of_a_reference_with_crlf_downloads_under_a_clean_name(client, priya, contract):
    # A reference imported before the check: the download used to fail with BadHeaderError.
    Contract.objects.filter(pk=contract.pk).update(reference='ocds-1\r\nX-Evil: "yes"/..')
    client.force_login(priya)
    response = client.get(reverse("meetings:log_csv", args=[contract.pk]))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == 'attachment; filename="ocds-1 X-Evil: \\"yes\\"-..-administration-log.csv"'
    )


def test_only_core_exports_sets_content_disposition():
    """Every download is named through core.exports.attachment (it cleans the name)."""
    setters = re.compile(r"""\[["']Content-Disposition["']\]\s*=|as_attachment\s*=\s*True|content_disposition_header""")
    offenders = []
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if any(part in {".venv", "node_modules", "tests"} for part in path.parts) or path.match("core/exports.py"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if setters.search(line):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert offenders == []
