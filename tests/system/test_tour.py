"""The README's tour: `make screenshots` writes the first screen of each page, as a 1366x768 laptop shows it,
to docs/screenshots/ (SCREENSHOTS_DIR); without it the pictures go to a temporary folder and are only checked."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.system.accessibility_pages import contract_url
from tests.system.test_accessibility import register, signed_in, transactional_db

__all__ = ["register", "signed_in", "transactional_db"]  # the accessibility module's world, reused

pytestmark = pytest.mark.browser


TOUR = [
    ("1-procurement-dashboard", "priya", lambda r: reverse("dashboard:procurement")),
    ("2-register", "priya", lambda r: reverse("contracts:list")),
    ("3-contract", "alice", contract_url("contracts:detail")),
    ("4-my-work", "alice", lambda r: reverse("dashboard:my_work")),
    ("5-kraljic-matrix", "priya", lambda r: reverse("contracts:kraljic_matrix")),
]


@pytest.mark.parametrize(("name", "persona", "url"), TOUR, ids=[name for name, _, _ in TOUR])
def test_tour_screenshots(name, persona, url, live_server, register, signed_in, tmp_path):
    """The first screen of each page of the tour on a 1366x768 laptop, as the README shows it."""
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page = signed_in(persona).new_page()
    try:
        page.set_viewport_size({"width": 1366, "height": 768})
        page.goto(live_server.url + url(register))
        page.wait_for_load_state("networkidle")
        path = folder / f"{name}.png"
        page.screenshot(path=str(path))
        assert path.stat().st_size > 10_000  # a page, not a blank
    finally:
        page.close()
