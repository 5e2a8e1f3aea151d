"""A forgotten password (issue 14, finding 11): reset by e-mail with Django's own views, the same answer
whatever the address, throttled per address and per account, one-hour single-use links, never for an
inactive account; and the fourth failed sign-in warns that one more locks the account."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.views import PasswordResetView
from tests.factories import PASSWORD

RESET = reverse("accounts:password_reset")
SENT = reverse("accounts:password_reset_sent")
NEW_PASSWORD = "a-new-and-long-passphrase"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # the throttle's counts live in the cache (per process in the tests)
    yield
    cache.clear()


def ask(client, email: str):
    return client.post(RESET, {"email": email})


def link_in(message) -> str:
    (url,) = re.findall(r"https?://\S+/accounts/password/reset/\S+/", message.body)
    return urlsplit(url).path


def test_the_same_answer_whether_or_not_the_address_has_an_account(client, alice):
    known = ask(client, "ALICE@police.example")
    unknown = ask(client, "nobody@police.example")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == SENT
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@police.example"]
    page = client.get(SENT).content.decode()
    assert "If that address belongs to an account that can sign in" in page


def test_the_email_links_to_the_sites_own_address(client, alice, settings):
    settings.SITE_URL = "https://contracts.force.example"
    ask(client, "alice@police.example")
    assert "https://contracts.force.example/accounts/password/reset/" in mail.outbox[0].body


def test_a_link_sets_a_new_password_once(client, alice):
    ask(client, "alice@police.example")
    link = link_in(mail.outbox[0])
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("accounts:password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)

    again = client.get(link, follow=True).content.decode()
    assert "This link no longer works" in again


def test_a_link_works_for_an_hour(client, alice):
    with time_machine.travel("2026-12-01 09:00 +00:00", tick=False) as clock:
        ask(client, "alice@police.example")
        link = link_in(mail.outbox[0])
        clock.shift(dt.timedelta(minutes=59))
        assert "Choose a new password" in client.get(link, follow=True).content.decode()
        clock.shift(dt.timedelta(minutes=2))
        assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_never_for_an_inactive_account(client, alice, bob):
    bob.is_active = False
    bob.save()
    assert ask(client, "bob@police.example")["Location"] == SENT
    assert mail.outbox == []

    ask(client, "alice@police.example")
    link = link_in(mail.outbox[0])
    alice.is_active = False  # deactivated after the e-mail went
    alice.save()
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_throttled_per_address_for_an_hour(client, alice):
    with time_machine.travel("2026-12-01 09:00 +00:00", tick=False) as clock:
        for _ in range(5):
            assert ask(client, "alice@police.example")["Location"] == SENT  # the same answer throughout
        assert len(mail.outbox) == 3
        assert ask(client, "Alice@Police.example")["Location"] == SENT
        assert len(mail.outbox) == 3
        clock.shift(dt.timedelta(minutes=61))
        ask(client, "alice@police.example")
        assert len(mail.outbox) == 4


def test_throttled_per_account(client, alice):
    for _ in range(3):
        ask(client, "alice@police.example")
    alice.email = "alice.adams@police.example"  # another address, the same account
    alice.save()
    ask(client, "alice.adams@police.example")
    assert len(mail.outbox) == 3


def test_unknown_addresses_count_too(client, alice):
    for _ in range(4):
        ask(client, "nobody@police.example")
    assert mail.outbox == []
    ask(client, "alice@police.example")  # another address: its own count
    assert len(mail.outbox) == 1


def test_the_sign_in_page_offers_it(client, db):
    assert f'href="{RESET}"' in client.get(reverse("accounts:login")).content.decode()


# --- The warning before a lockout (django-axes: five failures lock the username) ---------------------------


def sign_in(client, password: str):
    return client.post(reverse("accounts:login"), {"username": "alice", "password": password}, REMOTE_ADDR="192.0.2.7")


def test_the_fourth_failed_sign_in_warns_that_one_more_locks_the_account(client, alice):
    warning = "One more failed attempt will lock this account for 15 minutes."
    for _ in range(3):
        page = sign_in(client, "wrong").content.decode()
        assert "did not match" in page and warning not in page
    fourth = sign_in(client, "wrong").content.decode()
    assert "did not match" in fourth and warning in fourth
    fifth = sign_in(client, "wrong")
    assert fifth.status_code == 429 and "Too many failed sign-in attempts" in fifth.content.decode()
    assert sign_in(client, PASSWORD).status_code == 429


def test_a_username_that_does_not_exist_warns_the_same(client, db):
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "ghost", "password": "x"}, REMOTE_ADDR="192.0.2.8")
    fourth = client.post(reverse("accounts:login"), {"username": "ghost", "password": "x"}, REMOTE_ADDR="192.0.2.8")
    assert "One more failed attempt will lock this account" in fourth.content.decode()


def test_the_email_goes_only_once_the_answer_has_gone(rf, alice):
    """A known address must not answer slower than an unknown one by the mail server's time."""
    request = rf.post(RESET, {"email": "alice@police.example"})
    request._dont_enforce_csrf_checks = True
    response = PasswordResetView.as_view()(request)
    assert response.status_code == 302 and mail.outbox == []
    response.close()  # what the server does once the answer is sent
    assert len(mail.outbox) == 1
