"""Notifications: the bell, the list, e-mail preferences, reminders exactly once, the operations page."""

import datetime
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification, NotificationPreference, ReminderLedger
from notifications.services import notifications_mark_read, notify, remind
from tests import factories
from tests.concurrency import four_at_once

DUE = datetime.date(2027, 3, 1)
CHECKED = re.compile(r"\schecked[\s>]")


def bell_count(response) -> int:
    """The number in the navbar's bell badge (0 when there is no badge)."""
    html = response.content.decode()
    start = html.index('id="notification-bell-count"')
    badge = re.search(r'class="badge[^"]*">(\d+\+?)<span class="visually-hidden"> to do', html[start : start + 400])
    return int(badge.group(1)) if badge else 0


def _remind(recipient, subject, **kwargs):
    return remind(
        recipient=recipient,
        kind=kwargs.pop("kind", Kind.MEETING_ARRANGE_SOON),
        subject=subject,
        due_date=kwargs.pop("due_date", DUE),
        title=kwargs.pop("title", "Arrange the next supplier meeting"),
        url=kwargs.pop("url", "/contracts/1/"),
        **kwargs,
    )


def _notify(recipient, title="Something happened", **kwargs):
    return notify(recipient=recipient, kind=kwargs.pop("kind", Kind.GENERAL), title=title, **kwargs)


# Reminders: exactly once, e-mail only after commit. -----------------------------------------


def test_a_reminder_sent_twice_arrives_once(
    emails_each, alice, contract, mailoutbox, django_capture_on_commit_callbacks, settings
):
    emails_each(alice)
    settings.SITE_URL = "https://contracts.police.example"
    with django_capture_on_commit_callbacks(execute=True):
        first = _remind(alice, contract, url=f"/contracts/{contract.pk}/")
    with django_capture_on_commit_callbacks(execute=True):
        second = _remind(alice, contract, url=f"/contracts/{contract.pk}/")

    assert first is not None and second is None
    assert Notification.objects.filter(recipient=alice).count() == 1
    assert ReminderLedger.objects.get().notification == first
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [alice.email]
    assert email.subject == "[Contract register] Arrange the next supplier meeting"
    assert f"https://contracts.police.example/contracts/{contract.pk}/" in email.body
    first.refresh_from_db()
    assert first.emailed_at is not None


def test_a_different_due_date_is_a_new_reminder(
    emails_each, alice, contract, mailoutbox, django_capture_on_commit_callbacks
):
    emails_each(alice)
    with django_capture_on_commit_callbacks(execute=True):
        _remind(alice, contract, due_date=DUE)
        _remind(alice, contract, due_date=DUE + timedelta(days=180))
    assert Notification.objects.filter(recipient=alice).count() == 2
    assert len(mailoutbox) == 2


@pytest.mark.django_db(transaction=True)
def test_four_workers_sending_the_same_reminder_at_once_send_it_once(mailoutbox, emails_each):
    # Plain users and a supplier: a transactional test must not rely on the role groups
    # (a data migration), which an earlier transactional test's flush removes.
    recipient = factories.UserFactory(username="concurrent")
    emails_each(recipient)
    subject = factories.SupplierFactory()
    results = four_at_once(lambda: _remind(recipient, subject))
    assert sum(result is not None for result in results) == 1
    assert Notification.objects.filter(recipient=recipient).count() == 1
    assert ReminderLedger.objects.filter(recipient=recipient).count() == 1
    assert len(mailoutbox) == 1


def test_a_rolled_back_reminder_sends_no_email_and_leaves_no_ledger_row(
    alice, contract, mailoutbox, django_capture_on_commit_callbacks, emails_each
):
    emails_each(alice)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        assert _remind(alice, contract) is not None
        raise RuntimeError("the job failed after the reminder")
    assert callbacks == []
    assert mailoutbox == []
    assert not ReminderLedger.objects.exists()
    assert not Notification.objects.exists()
    # Nothing was recorded as sent, so the next run sends it.
    with django_capture_on_commit_callbacks(execute=True):
        assert _remind(alice, contract) is not None
    assert len(mailoutbox) == 1


def test_a_reminder_about_an_unsaved_subject_is_an_error_not_already_sent(alice):
    # Before: the NOT NULL violation on the ledger passed for "already sent" and was lost.
    with pytest.raises(ValueError, match="saved subject"):
        _remind(alice, factories.SupplierFactory.build())
    assert not Notification.objects.exists()


def test_an_opted_out_kind_is_shown_in_the_app_but_not_emailed(
    alice, contract, mailoutbox, django_capture_on_commit_callbacks, emails_each
):
    emails_each(alice)
    NotificationPreference.objects.create(user=alice, kind=Kind.MEETING_ARRANGE_SOON, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert _remind(alice, contract) is not None
        _notify(alice, kind=Kind.GENERAL, title="Still e-mailed")
    assert Notification.objects.filter(recipient=alice).count() == 2
    assert [email.subject for email in mailoutbox] == ["[Contract register] Still e-mailed"]


def test_an_email_links_only_to_a_page_of_the_register(
    alice, mailoutbox, django_capture_on_commit_callbacks, settings, emails_each
):
    emails_each(alice)
    settings.SITE_URL = "https://contracts.police.example"
    with django_capture_on_commit_callbacks(execute=True):
        _notify(alice, title="Local", url="/contracts/")
        _notify(alice, title="External", url="https://evil.example/")
    local, external = mailoutbox
    assert "https://contracts.police.example/contracts/" in local.body
    assert "evil.example" not in external.body
    assert "https://contracts.police.example/notifications/preferences/" in external.body


def test_a_user_without_an_email_address_gets_no_email(db, mailoutbox, django_capture_on_commit_callbacks):
    nobody = factories.UserFactory(username="no-email", email="")
    with django_capture_on_commit_callbacks(execute=True):
        _notify(nobody)
    assert Notification.objects.filter(recipient=nobody).count() == 1
    assert mailoutbox == []


def test_a_deactivated_user_gets_no_email(alice, mailoutbox, django_capture_on_commit_callbacks):
    alice.is_active = False
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        _notify(alice)
    assert mailoutbox == []


# The bell and the list. ------------------------------------------------------------------


def test_marking_information_read_leaves_the_bell_to_count_tasks(client, alice, bob, contract):
    first, second, third = (_notify(alice, title=f"Notice {n}") for n in range(3))
    _remind(alice, contract, title="Arrange the meeting")  # a task
    _notify(bob, title="Not Alice's")
    client.force_login(alice)
    page = client.get(reverse("contracts:list"))
    assert bell_count(page) == 1
    assert '1<span class="visually-hidden"> to do</span>' in page.content.decode()

    response = client.post(reverse("notifications:mark_read", args=[first.pk]), {"next": "/notifications/?page=1"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?page=1"
    first.refresh_from_db()
    assert first.read_at is not None

    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "3 notifications marked as read." in response.content.decode()
    assert bell_count(response) == 1  # read is not done: the task is still to do
    assert not Notification.objects.for_user(alice).unread().exists()


def test_mark_as_read_with_htmx_returns_the_item_and_the_new_count(client, alice):
    notification = _notify(alice, title="Quarterly KPI results due")
    _notify(alice, title="Another")
    client.force_login(alice)
    response = client.post(reverse("notifications:mark_read", args=[notification.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{notification.pk}"' in html
    assert "Quarterly KPI results due" in html
    assert "Mark as read" not in html
    assert '<span id="unread-filter-count" hx-swap-oob="true">1</span>' in html
    assert "<html" not in html  # a fragment, not the page


def test_the_list_shows_only_my_notifications_newest_first_with_a_filter(client, alice, bob):
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, 30, tzinfo=datetime.UTC)):
        older = _notify(alice, title="Older notice", body="Line one\nLine two")
    with time_machine.travel(datetime.datetime(2026, 11, 21, 9, 30, tzinfo=datetime.UTC)):
        newer = _notify(alice, title="Newer notice", kind=Kind.MEETING_UPCOMING)
    _notify(bob, title="Bob's private notice")
    notifications_mark_read(user=alice, ids=[older.pk])

    client.force_login(alice)
    page = client.get(reverse("notifications:list"), {"show": "all"}).content.decode()
    assert "Bob&#x27;s private notice" not in page and "Bob's private notice" not in page
    assert page.index("Newer notice") < page.index("Older notice")
    assert "20 Nov 2026 09:30" in page  # UK time (GMT in November)
    assert "Meeting coming up" in page
    assert "Line one<br>Line two" in page

    unread = client.get(reverse("notifications:list"), {"show": "unread"}).content.decode()
    assert "Newer notice" in unread and "Older notice" not in unread
    assert f'href="{reverse("notifications:open", args=[newer.pk])}"' not in unread  # no url: no link


def test_the_list_pages_by_25(client, alice, django_assert_max_num_queries):
    Notification.objects.bulk_create(Notification(recipient=alice, title=f"Notice {n}") for n in range(30))
    client.force_login(alice)
    with django_assert_max_num_queries(10):
        first = client.get(reverse("notifications:list"), {"show": "information"})
    assert len(first.context["notifications"]) == 25
    page_two = client.get(reverse("notifications:list"), {"show": "information", "page": 2})
    assert len(page_two.context["notifications"]) == 5


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, alice, contract):
    notification = _notify(alice, url=f"/contracts/{contract.pk}/")
    client.force_login(alice)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/contracts/{contract.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize(
    "url", ["https://evil.example/phish", "//evil.example/phish", "javascript:alert(1)", "/\\evil.example", "relative/"]
)
def test_opening_refuses_to_leave_the_site(client, alice, url):
    notification = _notify(alice, url=url)
    client.force_login(alice)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")


def test_mark_as_read_refuses_to_send_you_elsewhere_afterwards(client, alice):
    notification = _notify(alice)
    client.force_login(alice)
    response = client.post(
        reverse("notifications:mark_read", args=[notification.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications:list")


@pytest.mark.parametrize("view", ["notifications:open", "notifications:mark_read"])
def test_someone_elses_notification_answers_404_and_stays_unread(client, alice, bob, view):
    notification = _notify(bob, url="/contracts/")
    client.force_login(alice)
    method = client.get if view == "notifications:open" else client.post
    assert method(reverse(view, args=[notification.pk])).status_code == 404
    assert method(reverse(view, args=[notification.pk]), HTTP_HX_REQUEST="true").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_as_read_leaves_other_peoples_notifications_alone(client, alice, bob):
    _notify(alice)
    bobs = _notify(bob)
    client.force_login(alice)
    client.post(reverse("notifications:mark_all_read"))
    bobs.refresh_from_db()
    assert bobs.read_at is None


def test_marking_read_needs_a_post(client, alice):
    notification = _notify(alice)
    client.force_login(alice)
    assert client.get(reverse("notifications:mark_read", args=[notification.pk])).status_code == 405
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_notification_pages_need_a_login(client, db):
    for name in ("notifications:list", "notifications:preferences", "notifications:operations"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


# Query counts. ---------------------------------------------------------------------------


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_bell_costs_one_query_however_many_notifications(client, alice, contract):
    client.force_login(alice)
    url = reverse("contracts:list")
    _queries(client, url)  # warm up: session, content types
    without = _queries(client, url)
    for n in range(40):
        _notify(alice, title=f"Notice {n}")
    with_notifications = _queries(client, url)
    assert len(with_notifications) == len(without)
    bell_queries = [sql for sql in with_notifications if "notifications_notification" in sql]
    assert len(bell_queries) == 1 and "COUNT(" in bell_queries[0].upper()


def test_anonymous_pages_do_not_count_notifications(client, db):
    queries = _queries(client, reverse("accounts:login"))
    assert not [sql for sql in queries if "notifications_notification" in sql]


# Preferences. ----------------------------------------------------------------------------


def test_preferences_are_saved_and_shown_again(client, alice, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(alice)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "E-mail me about: meeting coming up" in page
    assert page.count('type="checkbox"') == len(Kind.values)
    assert len(CHECKED.findall(page)) == len(Kind.values) + 1  # no row means e-mail, in a daily digest

    wanted = {"delivery": "digest"} | {f"email_{kind}": "on" for kind in Kind.values if kind != Kind.MEETING_UPCOMING}
    response = client.post(reverse("notifications:preferences"), wanted, follow=True)
    html = response.content.decode()
    assert "Your e-mail preferences are saved." in html
    assert len(CHECKED.findall(html)) == len(Kind.values) - 1 + 1
    assert not response.context["form"].fields["email_meeting_upcoming"].initial
    preference = NotificationPreference.objects.get(user=alice, kind=Kind.MEETING_UPCOMING)
    assert preference.email is False
    assert NotificationPreference.objects.filter(user=alice).count() == len(Kind.values)

    # Saving again updates the rows rather than adding more.
    client.post(reverse("notifications:preferences"), {**wanted, "email_meeting_upcoming": "on"})
    assert NotificationPreference.objects.filter(user=alice).count() == len(Kind.values)
    preference.refresh_from_db()
    assert preference.email is True


def test_preferences_warn_when_there_is_no_email_address(client, db):
    user = factories.UserFactory(username="no-address", email="")
    client.force_login(user)
    assert "Your account has no e-mail address" in client.get(reverse("notifications:preferences")).content.decode()


def test_notifications_mark_read_returns_how_many(alice, bob):
    mine = [_notify(alice) for _ in range(3)]
    _notify(bob)
    assert notifications_mark_read(user=alice, ids=[mine[0].pk]) == 1
    assert notifications_mark_read(user=alice) == 2
    assert notifications_mark_read(user=alice) == 0
    assert Notification.objects.unread().count() == 1
    assert timezone.now() >= Notification.objects.get(pk=mine[0].pk).read_at
