import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import User
from tests.factories import PASSWORD


def test_role_groups_exist_from_the_data_migration(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL)


def test_login_page_and_sign_in(client, alice):
    assert client.get(reverse("accounts:login")).status_code == 200
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("contracts:list")).status_code == 200


def test_a_wrong_password_says_so(client, alice):
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "nope"})
    assert "did not match" in response.content.decode()


def test_everything_but_login_requires_login(client, db):
    for url in ["/", reverse("contracts:list"), reverse("suppliers:list"), reverse("accounts:password_change")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_logout_is_a_post_and_ends_the_session(client, alice):
    client.force_login(alice)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("contracts:list")).status_code == 302


def test_password_change(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-passphrase",
            "new_password2": "a-much-longer-passphrase",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-much-longer-passphrase")


def test_session_expires_after_eight_idle_hours(client, alice):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
        clock.move_to(start + dt.timedelta(hours=7, minutes=59))
        assert client.get(reverse("contracts:list")).status_code == 200  # activity pushes expiry on
        clock.move_to(start + dt.timedelta(hours=15, minutes=57))
        assert client.get(reverse("contracts:list")).status_code == 200
        clock.move_to(start + dt.timedelta(hours=24))
        assert client.get(reverse("contracts:list")).status_code == 302


def test_role_changes_are_audited(db, alice):
    group = Group.objects.get(name=roles.SRO)
    alice.groups.add(group)
    latest = User.history.filter(id=alice.pk).latest()
    assert group.pk in [row.group_id for row in latest.groups.all()]
    alice.groups.remove(group)
    latest = User.history.filter(id=alice.pk).latest()
    memberships = User.groups.through.objects.filter(user=alice)
    assert {(row.id, row.user_id, row.group_id) for row in latest.groups.all()} == set(
        memberships.values_list("id", "user_id", "group_id")
    )
    assert group.pk not in [row.group_id for row in latest.groups.all()]


def test_signing_in_stamps_the_time_and_adds_nothing_to_the_audited_history(client, alice):
    """The history is of roles and flags: a sign-in changes neither, so it writes no row there."""
    rows = User.history.filter(id=alice.pk).count()
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC), tick=False):
        client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    alice.refresh_from_db()
    assert alice.last_login == dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)
    assert User.history.filter(id=alice.pk).count() == rows


@pytest.mark.parametrize("url", ["/admin/", "/admin/accounts/user/"])
def test_admin_is_for_administrators_only(client, admin_user, priya, url):
    client.force_login(priya)
    assert client.get(url).status_code == 302
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
