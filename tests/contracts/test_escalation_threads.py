"""Escalation threads (issue 15, point 7) and the respond-by date by severity (point 5): the OCO and
the Procurement Unit post updates with attachments, the SRO comments, only the Procurement Unit changes
the status; each post on the timeline and in the history; the raiser and the owner are told; an
escalation not answered by its respond-by date shows as overdue and is reminded once."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts import services
from contracts.models import Activity, Escalation, EscalationUpdate
from core.dates import add_working_days
from notifications.models import Kind, Notification
from tests import factories
from tests.concurrency import four_at_once
from tests.conftest import pdf_bytes

OVERDUE = 'Overdue</span> <span class="text-nowrap">response was due by 8 Dec 2026'

# Friday 4 December 2026: a high-severity escalation raised today is answered by Tuesday 8 December.
FRIDAY = "2026-12-04 10:00 +00:00"


def raised(contract, *, by, severity=Escalation.Severity.HIGH) -> Escalation:
    escalation = Escalation(
        contract=contract,
        source=Escalation.Source.SIGNIFICANT_PERFORMANCE_ISSUE,
        severity=severity,
        title="Weekend response times missed",
        details="Three weekends running.",
    )
    return services.escalation_raise(escalation=escalation, by=by)


def told(kind=Kind.ESCALATION_UPDATE) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def post(client, escalation, **data):
    return client.post(reverse("escalations:post", args=[escalation.pk]), {"text": "", "status": "", **data})


# --- The respond-by date --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "respond_by"),
    [
        ("critical", date(2026, 12, 7)),
        ("high", date(2026, 12, 8)),
        ("medium", date(2026, 12, 11)),
        ("low", date(2026, 12, 18)),
    ],
)
@time_machine.travel(FRIDAY, tick=False)
def test_the_respond_by_date_counts_working_days_by_severity(contract, alice, severity, respond_by):
    escalation = raised(contract, by=alice, severity=severity)
    assert escalation.respond_by == respond_by
    assert add_working_days(date(2026, 12, 4), 0) == date(2026, 12, 4)


@time_machine.travel(FRIDAY, tick=False)
def test_raising_writes_the_timeline_and_tells_the_procurement_unit_when_to_expect_an_answer(contract, alice, priya):
    escalation = raised(contract, by=alice)
    entry = Activity.objects.about(escalation).get()
    assert (entry.kind, entry.contract, entry.recorded_by) == (Activity.Kind.ESCALATION_RAISED, contract, alice)
    assert "Weekend response times missed" in entry.summary
    message = Notification.objects.get(recipient=priya)
    assert "responds by 8 Dec 2026" in message.body


def test_an_unanswered_escalation_is_overdue_on_its_page_the_list_and_the_sro_dashboard(
    client, contract, alice, sam, priya
):
    with time_machine.travel(FRIDAY, tick=False):
        escalation = raised(contract, by=alice)
    with time_machine.travel("2026-12-08 16:00 +00:00", tick=False):  # the respond-by day itself: not yet
        client.force_login(sam)
        assert "Respond by 8 Dec 2026" in client.get(reverse("dashboard:sro")).content.decode()
    with time_machine.travel("2026-12-09 09:00 +00:00", tick=False):
        client.force_login(sam)
        assert list(Escalation.objects.overdue(today=date(2026, 12, 9))) == [escalation]
        for page in (escalation.get_absolute_url(), reverse("escalations:list"), reverse("dashboard:sro")):
            assert OVERDUE in client.get(page).content.decode(), page
        # The Procurement Unit sees how many are overdue on its dashboard, and lists them.
        client.force_login(priya)
        dashboard = client.get(reverse("dashboard:procurement")).content.decode()
        assert "1 not answered by its respond-by date" in dashboard
        overdue_list = client.get(reverse("escalations:list"), {"status": "overdue"}).content.decode()
        assert escalation.title in overdue_list
        panel = client.get(reverse("dashboard:list", args=["open-escalations"])).content.decode()
        assert "Respond by" in panel and "Overdue" in panel
        api = client.get(f"/api/escalations/{escalation.pk}/").json()
        assert (api["respond_by"], api["answered_on"], api["is_overdue"]) == ("2026-12-08", None, True)
        # The Procurement Unit answers in the thread: no longer overdue.
        post(client, escalation, text="Looking at it with the supplier today.")
        escalation.refresh_from_db()
        assert escalation.answered_on == date(2026, 12, 9) and not escalation.is_overdue
        assert not Escalation.objects.overdue(today=date(2026, 12, 9)).exists()
        overdue_list = client.get(reverse("escalations:list"), {"status": "overdue"}).content.decode()
        assert escalation.title not in overdue_list
        client.force_login(sam)
        assert OVERDUE not in client.get(reverse("dashboard:sro")).content.decode()


def test_the_overdue_reminder_goes_to_the_procurement_unit_once(contract, other_contract, alice, bob, priya):
    pat = factories.procurement_officer(username="pat")
    with time_machine.travel(FRIDAY, tick=False):
        unowned = raised(contract, by=alice)
        owned = raised(other_contract, by=bob, severity=Escalation.Severity.LOW)
        owned.owner = pat
        services.escalation_update(escalation=owned, by=pat)  # a change by pat answers it ...
        owned.answered_on = None
        owned.save()  # ... so forget the answer, to see who the reminder goes to
        raised(other_contract, by=priya)  # raised by the Procurement Unit itself: nothing to answer
    assert services.escalation_overdue_reminders_send(today=date(2026, 12, 8)) == 0
    assert services.escalation_overdue_reminders_send(today=date(2026, 12, 9)) == 2  # unowned: priya and pat
    assert services.escalation_overdue_reminders_send(today=date(2026, 12, 9)) == 0
    assert services.escalation_overdue_reminders_send(today=date(2026, 12, 21)) == 1  # owned, low: pat alone
    assert services.escalation_overdue_reminders_send(today=date(2026, 12, 22)) == 0
    reminders = Notification.objects.filter(kind=Kind.ESCALATION_OVERDUE)
    assert sorted(reminders.values_list("recipient__username", flat=True)) == ["pat", "pat", "priya"]
    assert reminders.filter(url=unowned.get_absolute_url()).count() == 2
    # Each reminder is a task for the Procurement Unit, closed by the answer.
    assert reminders.open_tasks().count() == 3
    with time_machine.travel("2026-12-22 09:00 +00:00", tick=False):
        services.escalation_post(escalation=unowned, by=pat, text="On it")
    assert list(reminders.open_tasks().values_list("subject_id", flat=True)) == [owned.pk]
    # Closed by an administrator in the admin (no service): the next run closes the task.
    Escalation.objects.filter(pk=owned.pk).update(status=Escalation.Status.CLOSED)
    services.escalation_overdue_reminders_send(today=date(2026, 12, 23))
    assert not reminders.open_tasks().exists()


# --- The thread ------------------------------------------------------------------------------------------


@time_machine.travel(FRIDAY, tick=False)
def test_the_oco_posts_an_update_with_an_attachment_and_the_procurement_unit_hears(client, contract, alice, priya):
    escalation = raised(contract, by=alice)
    client.force_login(alice)
    upload = SimpleUploadedFile("Letter to the supplier.pdf", pdf_bytes("letter"))
    response = post(client, escalation, text="Wrote to the supplier's director.", attachment=upload)
    update = EscalationUpdate.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#update-{update.pk}")
    assert (update.author, update.attachment_name, update.changed_status) == (
        alice,
        "Letter to the supplier.pdf",
        False,
    )
    entry = Activity.objects.about(escalation).get(kind=Activity.Kind.ESCALATION_UPDATED)
    assert "Wrote to the supplier's director." in entry.details and entry.recorded_by == alice
    # Nobody handles it yet, so the Procurement Unit is told; the author is not.
    assert told() == ["priya"]
    assert Notification.objects.get(kind=Kind.ESCALATION_UPDATE).subject == escalation
    page = client.get(escalation.get_absolute_url()).content.decode()
    assert "Wrote to the supplier&#x27;s director." in page and "Letter to the supplier.pdf" in page
    download = client.get(reverse("escalations:attachment", args=[update.pk]))
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"


@time_machine.travel(FRIDAY, tick=False)
def test_an_attachment_is_checked_and_served_only_to_who_may_see_the_escalation(client, contract, alice, bob, sam):
    escalation = raised(contract, by=alice)
    client.force_login(alice)
    fake = SimpleUploadedFile("invoice.pdf", b"MZ not a PDF at all")
    response = post(client, escalation, text="See the invoice", attachment=fake)
    assert response.status_code == 200 and "does not contain a PDF document" in response.content.decode()
    assert not EscalationUpdate.objects.exists()
    post(client, escalation, text="See the invoice", attachment=SimpleUploadedFile("invoice.pdf", pdf_bytes()))
    url = reverse("escalations:attachment", args=[EscalationUpdate.objects.get().pk])
    client.force_login(bob)
    assert client.get(url).status_code == 404
    client.force_login(sam)
    assert client.get(url).status_code == 200


@time_machine.travel(FRIDAY, tick=False)
def test_the_sro_comments_but_only_the_procurement_unit_changes_the_status(client, contract, alice, sam, priya):
    escalation = raised(contract, by=alice)
    for person in (sam, alice):
        client.force_login(person)
        refused = post(client, escalation, text="Closing this", status=Escalation.Status.RESOLVED)
        assert refused.status_code == 403
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.OPEN and not EscalationUpdate.objects.exists()
    with pytest.raises(PermissionDenied):  # the service refuses it too
        services.escalation_post(escalation=escalation, by=alice, text="x", status=Escalation.Status.CLOSED)
    client.force_login(sam)
    assert "Add a comment" in client.get(escalation.get_absolute_url()).content.decode()
    assert post(client, escalation, text="The Chief Constable has asked about this.").status_code == 302
    # The raiser (and OCO) hears of the SRO's comment.
    assert told() == ["alice", "priya"]


@time_machine.travel(FRIDAY, tick=False)
def test_the_procurement_unit_resolves_it_in_the_thread_and_the_raiser_hears_once(client, contract, alice, priya):
    escalation = raised(contract, by=alice)
    client.force_login(priya)
    page = client.get(escalation.get_absolute_url()).content.decode()
    assert 'name="status"' in page and "Leave it open" in page
    response = post(client, escalation, text="Service credits agreed with the supplier.", status="resolved")
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert (escalation.status, escalation.resolution, escalation.answered_on) == (
        Escalation.Status.RESOLVED,
        "Service credits agreed with the supplier.",
        date(2026, 12, 4),
    )
    update = EscalationUpdate.objects.get()
    assert (update.status_before, update.status_after) == ("open", "resolved")
    kinds = list(Activity.objects.about(escalation).order_by("pk").values_list("kind", flat=True))
    assert kinds == [Activity.Kind.ESCALATION_RAISED, Activity.Kind.ESCALATION_RESOLVED]
    assert told() == ["alice"]  # raiser and OCO are one person: one message
    # The history shows the change of status and the post.
    client.force_login(alice)
    page = client.get(escalation.get_absolute_url()).content.decode()
    assert "Update in the thread" in page and "status from open to <strong>resolved</strong>" in page


@time_machine.travel(FRIDAY, tick=False)
def test_managing_an_escalation_writes_the_timeline_and_tells_a_new_owner(contract, alice, priya):
    pat = factories.procurement_officer(username="pat")
    escalation = raised(contract, by=alice)
    escalation.owner = pat
    services.escalation_update(escalation=escalation, by=priya)
    assert told(Kind.ESCALATION) == ["pat", "pat", "priya"]  # both heard of the raising; pat that it is his
    escalation.status, escalation.resolution = Escalation.Status.CLOSED, "Contract varied"
    services.escalation_update(escalation=escalation, by=priya)
    entry = Activity.objects.about(escalation).get(kind=Activity.Kind.ESCALATION_RESOLVED)
    assert "closed" in entry.summary and "Contract varied" in entry.details


def test_someone_outside_the_contract_cannot_post(client, contract, alice, bob):
    escalation = raised(contract, by=alice)
    client.force_login(bob)
    assert post(client, escalation, text="Me too").status_code == 404
    client.force_login(alice)
    assert client.get(reverse("escalations:post", args=[escalation.pk])).status_code == 405


@time_machine.travel(FRIDAY, tick=False)
def test_the_escalation_page_costs_the_same_queries_with_one_update_or_thirty(
    client, contract, alice, sam, priya, django_assert_max_num_queries
):
    escalation = raised(contract, by=alice)

    def post_some(numbers):
        for number in numbers:
            services.escalation_post(
                escalation=escalation,
                by=(alice, sam, priya)[number % 3],
                text=f"Post {number}",
                attachment=SimpleUploadedFile(f"note-{number}.pdf", pdf_bytes()) if number % 2 else None,
            )

    post_some(range(1))
    client.force_login(priya)
    with django_assert_max_num_queries(16) as one:
        client.get(escalation.get_absolute_url())
    post_some(range(1, 30))
    with django_assert_max_num_queries(len(one)):
        response = client.get(escalation.get_absolute_url())
    assert response.status_code == 200 and "Post 29" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_four_workers_at_once_remind_each_overdue_escalation_once(contract, alice, priya):
    with time_machine.travel(FRIDAY, tick=False):
        escalation = raised(contract, by=alice)
    four_at_once(lambda: services.escalation_overdue_reminders_send(today=date(2026, 12, 10)))
    reminders = Notification.objects.filter(kind=Kind.ESCALATION_OVERDUE)
    assert list(reminders.values_list("recipient__username", "url")) == [("priya", escalation.get_absolute_url())]


def test_the_overdue_reminder_job_is_scheduled_and_caught_up(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["escalation-overdue-reminders"]
    assert entry["task"] == "contracts.tasks.send_escalation_overdue_reminders"
    from notifications.services import _caught_up_entries

    assert "escalation-overdue-reminders" in _caught_up_entries()


@time_machine.travel(FRIDAY, tick=False)
def test_escalations_raised_before_the_upgrade_get_their_respond_by_date_once(contract, alice):
    from io import StringIO

    from django.core.management import call_command

    old_open = raised(contract, by=alice, severity=Escalation.Severity.MEDIUM)
    old_in_progress = raised(contract, by=alice)
    Escalation.objects.filter(pk=old_open.pk).update(respond_by=None, raised_on=date(2026, 11, 2))
    Escalation.objects.filter(pk=old_in_progress.pk).update(
        respond_by=None, raised_on=date(2026, 11, 2), status=Escalation.Status.IN_PROGRESS
    )
    output = StringIO()
    call_command("escalation_respond_by_dates", stdout=output)
    assert "Respond-by dates set for 2 escalations." in output.getvalue()
    old_open.refresh_from_db()
    old_in_progress.refresh_from_db()
    assert (old_open.respond_by, old_open.answered_on, old_open.is_overdue) == (date(2026, 11, 9), None, True)
    assert (old_in_progress.answered_on, old_in_progress.is_overdue) == (date(2026, 11, 2), False)
    call_command("escalation_respond_by_dates", stdout=output)
    assert "Respond-by dates set for 0 escalations." in output.getvalue()
