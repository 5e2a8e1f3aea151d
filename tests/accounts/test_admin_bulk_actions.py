"""Finding 7 of issue 14: activating or deactivating users from the admin's bulk actions writes each
user's history, naming the administrator who did it."""

from django.contrib.admin import helpers
from django.urls import reverse

from accounts.models import User


def _bulk(client, action: str, users) -> None:
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [u.pk for u in users]},
    )
    assert response.status_code == 302


def test_bulk_deactivate_and_activate_write_history_naming_the_administrator(client, admin_user, alice, bob):
    client.force_login(admin_user)
    _bulk(client, "deactivate", [alice, bob, admin_user])

    assert set(User.objects.filter(is_active=False)) == {alice, bob}  # never the administrator themself
    for user in (alice, bob):
        latest = User.history.filter(id=user.pk).latest()
        assert (latest.is_active, latest.history_user, latest.history_type) == (False, admin_user, "~")
        assert latest.history_change_reason == f"Deactivated from the users list by {admin_user}"
    assert not User.history.filter(id=admin_user.pk, is_active=False).exists()

    _bulk(client, "activate", [alice])
    latest = User.history.filter(id=alice.pk).latest()
    assert (latest.is_active, latest.history_user) == (True, admin_user)
    assert latest.history_change_reason == f"Activated from the users list by {admin_user}"
    # Bob was not selected: nothing is written for him.
    assert User.history.filter(id=bob.pk).latest().is_active is False
