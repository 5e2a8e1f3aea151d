"""API tokens (issue 14, finding 10): kept as SHA-256 digests, the key shown once, with an expiry and a
last-used time; tokens made before keep working, hashed, until API_LEGACY_TOKENS_UNTIL."""

import datetime as dt
import hashlib
import importlib
import io

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from exchange.models import ApiToken
from exchange.services.tokens import api_token_create

CONTRACTS = "/api/contracts/"


def get(client, key: str):
    return client.get(CONTRACTS, HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_is_kept_as_a_digest_and_works_with_its_key(client, alice):
    token, key = api_token_create(user=alice, name="Reporting", expires_at=timezone.now() + dt.timedelta(days=30))
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM exchange_apitoken")
        (row,) = cursor.fetchall()
    assert key not in [str(value) for value in row]  # the key itself is nowhere in the database
    assert get(client, key).status_code == 200
    assert get(client, key[:-1] + ("A" if key[-1] != "A" else "B")).status_code == 401  # same prefix, wrong key


def test_a_token_stops_working_when_it_expires(client, alice):
    with time_machine.travel("2026-12-01 09:00 +00:00", tick=False) as clock:
        _, key = api_token_create(user=alice, name="Reporting", expires_at=timezone.now() + dt.timedelta(days=1))
        assert get(client, key).status_code == 200
        clock.shift(dt.timedelta(days=1))
        response = get(client, key)
        assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_the_last_use_is_recorded(client, alice):
    with time_machine.travel("2026-12-01 09:00 +00:00", tick=False) as clock:
        token, key = api_token_create(user=alice, name="Reporting", expires_at=timezone.now() + dt.timedelta(days=9))
        assert token.last_used_at is None
        clock.shift(dt.timedelta(hours=2))
        get(client, key)
        token.refresh_from_db()
        assert token.last_used_at == timezone.now()


def test_a_deactivated_users_token_is_refused(client, alice):
    _, key = api_token_create(user=alice, name="Reporting", expires_at=timezone.now() + dt.timedelta(days=9))
    alice.is_active = False
    alice.save()
    assert get(client, key).status_code == 401


def _hash_old_tokens():
    migration = importlib.import_module("exchange.migrations.0003_api_tokens")
    migration.hash_authtoken_keys(apps, None)


def test_a_token_made_before_keeps_working_hashed_until_the_transition_ends(client, alice, bob, settings):
    settings.API_LEGACY_TOKENS_UNTIL = dt.date(2027, 3, 31)
    old_key = Token.objects.create(user=alice).key
    other = Token.objects.create(user=bob).key
    _hash_old_tokens()
    assert Token.objects.count() == 2  # the same rows: no row added or removed
    assert not Token.objects.filter(key__in=[old_key, other]).exists()  # no key left in clear
    with time_machine.travel("2027-03-31 12:00 +01:00"):
        assert get(client, old_key).status_code == 200
        assert get(client, old_key).json()["count"] == 0  # alice's scope, not bob's
    with time_machine.travel("2027-04-01 09:00 +01:00"):
        assert get(client, old_key).status_code == 401


def test_a_new_token_made_in_the_admin_shows_its_key_once(client, admin_user, alice):
    client.force_login(admin_user)
    expires = (timezone.localtime() + dt.timedelta(days=90)).replace(microsecond=0)
    response = client.post(
        "/admin/exchange/apitoken/add/",
        {
            "user": alice.pk,
            "name": "Reporting system",
            "expires_at_0": expires.date().isoformat(),
            "expires_at_1": expires.time().isoformat(),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "It is shown only now" in page
    token = ApiToken.objects.get(name="Reporting system")
    key = page.split('<code class="api-token-key">')[1].split("</code>")[0]
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert get(client, key).status_code == 200
    assert key not in client.get(f"/admin/exchange/apitoken/{token.pk}/change/").content.decode()
    assert key not in client.get("/admin/exchange/apitoken/").content.decode()


def test_the_old_tokens_add_page_says_where_tokens_are_made_now(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/authtoken/tokenproxy/add/")
    assert page.status_code == 200 and "Tokens are made under API tokens now" in page.content.decode()
    assert client.post("/admin/authtoken/tokenproxy/add/", {"user": admin_user.pk}).status_code == 200
    assert not Token.objects.exists()


def test_a_token_made_from_the_command_line_prints_its_key_once(client, alice):
    out = io.StringIO()
    call_command("api_token_create", "alice", "--name", "Reporting system", "--days", "30", stdout=out)
    key = out.getvalue().splitlines()[1]
    token = ApiToken.objects.get(user=alice)
    assert token.expires_at.date() == (timezone.now() + dt.timedelta(days=30)).date()
    assert get(client, key).status_code == 200
    with pytest.raises(CommandError, match="no active user"):
        call_command("api_token_create", "nobody", "--name", "x", stdout=io.StringIO())
