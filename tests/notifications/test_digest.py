"""The daily e-mail digest: one e-mail per person a day, exactly once, unless they chose each one."""

import datetime as dt
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from notifications import tasks
from notifications.digest import notifications_digest_send
from notifications.models import DigestSent, JobRun, Kind, Notification, NotificationPreference
from notifications.services import emails_unsent_send, information_dismiss, jobs_missed, notify, remind, tasks_resolve
from tests import factories
from tests.concurrency import four_at_once

DAY = date(2027, 3, 2)


def at(day: date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def digest_day(alice, contract, mailoutbox, django_capture_on_commit_callbacks):
    """During 1 March: alice (a digest, the default) gets a task and two pieces of information."""
    with time_machine.travel(at(date(2027, 3, 1), 7), tick=False), django_capture_on_commit_callbacks(execute=True):
        remind(
            recipient=alice,
            kind=Kind.MINUTES_MISSING,
            subject=contract,
            due_date=date(2027, 3, 1),
            title="Record the minutes of the February meeting",
            url=f"/contracts/{contract.pk}/",
        )
        notify(recipient=alice, kind=Kind.ESCALATION, title="Escalation on CON-ALICE now in progress")
        notify(recipient=alice, kind=Kind.SUPPLIER_INFORMATION, title="Profit warning: the supplier")
    assert mailoutbox == []  # nothing e-mailed one by one


def test_one_digest_a_day_lists_the_days_notifications_and_runs_twice_sending_once(
    digest_day, alice, contract, mailoutbox, settings
):
    settings.SITE_URL = "https://contracts.police.example"
    with time_machine.travel(at(DAY, 8), tick=False):
        tasks.send_digests()
        tasks.send_digests()
    (email,) = mailoutbox
    assert email.to == [alice.email]
    assert email.subject == "[Contract register] 3 new notifications"
    body = email.body
    assert "To do (1):" in body and "For information (2):" in body
    assert body.index("Record the minutes") < body.index("For information") < body.index("Profit warning")
    assert f"https://contracts.police.example/contracts/{contract.pk}/" in body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert DigestSent.objects.get().notifications == 3
    runs = JobRun.objects.filter(job="notification-digest").order_by("pk")
    assert [(r.outcome, r.notifications_sent) for r in runs] == [("ok", 1), ("ok", 0)]

    # Later that day: it waits for tomorrow's digest.
    with time_machine.travel(at(DAY, 11), tick=False):
        notify(recipient=alice, kind=Kind.GENERAL, title="Something later")
        assert notifications_digest_send(today=DAY) == 0
    with time_machine.travel(at(DAY + dt.timedelta(days=1), 8), tick=False):
        assert notifications_digest_send(today=DAY + dt.timedelta(days=1)) == 1
    assert "Something later" in mailoutbox[1].body and "Profit warning" not in mailoutbox[1].body


def test_what_was_read_done_or_opted_out_of_is_left_out(digest_day, alice, contract, mailoutbox):
    information_dismiss(
        user=alice, ids=list(Notification.objects.filter(kind=Kind.ESCALATION).values_list("pk", flat=True))
    )
    NotificationPreference.objects.create(user=alice, kind=Kind.SUPPLIER_INFORMATION, email=False)
    tasks_resolve(subject=contract, kinds=[Kind.MINUTES_MISSING])
    with time_machine.travel(at(DAY, 8), tick=False):
        assert notifications_digest_send(today=DAY) == 0
    assert mailoutbox == [] and not DigestSent.objects.exists()


def test_each_as_it_happens_is_emailed_at_once_and_never_in_a_digest(
    alice, bob, emails_each, mailoutbox, django_capture_on_commit_callbacks
):
    emails_each(bob)
    with time_machine.travel(at(date(2027, 3, 1), 12), tick=False), django_capture_on_commit_callbacks(execute=True):
        notify(recipient=bob, kind=Kind.GENERAL, title="For Bob at once")
        notify(recipient=alice, kind=Kind.GENERAL, title="For Alice's digest")
    assert [(m.to, m.subject) for m in mailoutbox] == [([bob.email], "[Contract register] For Bob at once")]
    with time_machine.travel(at(DAY, 8), tick=False):
        assert notifications_digest_send(today=DAY) == 1
    assert mailoutbox[1].to == [alice.email] and "For Bob" not in mailoutbox[1].body


def test_the_catch_up_sends_unsent_emails_one_by_one_only_to_those_who_chose_each(
    alice, bob, emails_each, mailoutbox, settings
):
    emails_each(bob)
    settings.EMAIL_BACKEND = "tests.notifications.test_catch_up.RefusingEmailBackend"
    with time_machine.travel(at(DAY, 9), tick=False):
        for person in (alice, bob):
            notify(recipient=person, kind=Kind.GENERAL, title="The mail server was down")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert emails_unsent_send(now=at(DAY, 9, 15)) == 1
    assert [m.to for m in mailoutbox] == [[bob.email]]
    # Alice's goes in her digest; the digest, a daily job, is caught up like the others when missed.
    assert "notification-digest" in jobs_missed(now=at(DAY, 9, 15))


def test_a_digest_that_could_not_be_sent_is_sent_by_the_next_run(digest_day, alice, mailoutbox, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_catch_up.RefusingEmailBackend"
    with time_machine.travel(at(DAY, 8), tick=False):
        assert notifications_digest_send(today=DAY) == 0
    assert not DigestSent.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(at(DAY, 8, 10), tick=False):
        assert notifications_digest_send(today=DAY) == 1
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_four_workers_at_once_send_one_digest(mailoutbox):
    # Plain users: a transactional test must not rely on the role groups (a data migration).
    people = [factories.UserFactory(username=f"digest{n}") for n in range(3)]
    with time_machine.travel(at(date(2027, 3, 1), 12), tick=False):
        for person in people:
            notify(recipient=person, kind=Kind.GENERAL, title="Something happened")
    with time_machine.travel(at(DAY, 8), tick=False):  # the clock is process-wide: every worker's
        four_at_once(lambda: notifications_digest_send(today=DAY))
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)
    assert DigestSent.objects.count() == 3


def test_choosing_each_one_on_the_preferences_page(client, alice, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(alice)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "One e-mail a day listing the day&#x27;s new notifications" in page
    wanted = {f"email_{kind}": "on" for kind in Kind.values}
    response = client.post(reverse("notifications:preferences"), wanted | {"delivery": "each"}, follow=True)
    assert response.context["form"].fields["delivery"].initial == "each"
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=alice, kind=Kind.GENERAL, title="At once")
    assert [m.subject for m in mailoutbox] == ["[Contract register] At once"]

    response = client.post(reverse("notifications:preferences"), wanted | {"delivery": "weekly"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
