"""Pages a user sees when something is missing or goes wrong, the admin, the health check."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User


def test_health_check_answers_without_login(client, db):
    response = client.get(reverse("healthz"))
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_not_found_page_reads_as_help_not_as_a_trace(client, alice):
    client.force_login(alice)
    response = client.get("/contracts/999999/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.urls("tests.urls_boom")
def test_an_unexpected_error_shows_no_stack_trace(client, alice):
    client.raise_request_exception = False
    client.force_login(alice)
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, something went wrong" in body
    assert "Traceback" not in body and "ZeroDivisionError" not in body


# The admin lists and changes every model: test_admin_pages.py.


def test_seed_demo_refuses_a_database_not_marked_as_demo(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo")
    assert not User.objects.filter(username="admin").exists()
