"""Renewal decisions: an owner and a decide-by date (the notice date less a lead time); "Decision
overdue" on the renewals list, the SRO's page and the OCO's My work; the owner reminded and the SRO and
Procurement Unit told once when the decide-by date passes with no decision."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import services
from contracts.models import Contract, RenewalDecision
from notifications.models import Kind, Notification
from tests import factories

TODAY = date(2026, 12, 4)


def pinned(day: date = TODAY):
    return time_machine.travel(f"{day.isoformat()} 10:00 +00:00", tick=False)


def renewal(contract_id: int, day: date = TODAY):
    return Contract.objects.with_renewal_dates(today=day).get(pk=contract_id)


def make(reference: str, *, oco, sro, end: date, notice_days: int = 90, by) -> Contract:
    contract = factories.ContractFactory(
        reference=reference, oco=oco, sro=sro, end_date=end, notice_period_days=notice_days
    )
    return services.contract_save(contract=contract, by=by)


@pytest.fixture
def overdue(alice, sam, priya):
    """Notice date 5 Aug 2026 (121 days before 4 Dec), ends 1 Feb 2027: decide by 5 May 2026."""
    return make("CON-LATE", oco=alice, sro=sam, end=date(2027, 2, 1), notice_days=180, by=priya)


def test_the_decide_by_date_is_the_notice_date_less_the_lead_time(alice, sam, priya):
    contract = make("CON-DATES", oco=alice, sro=sam, end=date(2027, 6, 30), by=priya)  # notice 1 Apr 2027
    assert contract.notice_date == date(2027, 4, 1)
    assert renewal(contract.pk).decide_by == date(2027, 1, 1)
    with override_settings(RENEWAL_DECISION_LEAD_MONTHS=1):
        assert renewal(contract.pk).decide_by == date(2027, 3, 1)
    assert contract.renewal_owner == alice


def test_a_decision_on_this_term_clears_it_and_a_new_term_needs_its_own(overdue, alice):
    assert renewal(overdue.pk).decision_overdue
    assert list(Contract.objects.renewal_decision_overdue(today=TODAY)) == [overdue]
    with pinned():
        services.renewal_decide(contract=overdue, decision="extend", notes="One more year", by=alice)
    state = renewal(overdue.pk)
    assert state.renewal_decided and not state.decision_overdue
    # The extension moves the end date: the new term has its own decide-by date and needs its own decision.
    overdue.end_date = date(2028, 2, 1)
    overdue.save()
    assert not renewal(overdue.pk).decision_overdue  # decide by 5 May 2027
    assert renewal(overdue.pk, date(2027, 5, 6)).decision_overdue


def test_a_decision_recorded_before_decisions_named_their_term_still_counts(overdue, alice):
    old = RenewalDecision.objects.create(
        contract=overdue, decision="reprocure", decided_by=alice, decided_on=date(2025, 1, 1)
    )
    assert renewal(overdue.pk).decision_overdue  # over 12 months before the notice date: an earlier term's
    old.decided_on = date(2026, 3, 1)
    old.save()
    assert not renewal(overdue.pk).decision_overdue


def test_no_false_alarm_before_the_decide_by_date_or_after_the_end(alice, sam, priya):
    later = make("CON-LATER", oco=alice, sro=sam, end=date(2027, 6, 30), by=priya)  # decide by 1 Jan 2027
    ended = make("CON-OVER", oco=alice, sro=sam, end=date(2026, 11, 30), by=priya)  # past its end: expiring
    assert not renewal(later.pk).decision_overdue and not renewal(ended.pk).decision_overdue
    assert renewal(later.pk, date(2027, 1, 2)).decision_overdue
    # My work lists it from 60 days before its decide-by date, not yet as overdue.
    assert list(Contract.objects.renewal_decision_due(today=TODAY, within=timedelta(days=60))) == [later]
    assert later not in Contract.objects.renewal_decision_due(today=date(2026, 11, 1), within=timedelta(days=60))


def test_my_work_lists_a_decision_coming_up(client, alice, sam, priya):
    make("CON-SOON", oco=alice, sro=sam, end=date(2027, 6, 30), by=priya)  # decide by 1 Jan 2027
    content = page(client, alice, "dashboard:my_work")
    assert "CON-SOON" in content and "Decide by 1 Jan 2027" in content and "Decision overdue" not in content


# --- Reminders ---------------------------------------------------------------------------------


def remind_overdue(day: date = TODAY, times: int = 1) -> None:
    with pinned(day):
        for _ in range(times):
            services.renewal_decisions_overdue_send(today=day)


def kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_the_owner_is_reminded_and_the_sro_and_procurement_told_once(overdue, alice, sam, priya, bob):
    remind_overdue(times=2)
    remind_overdue(date(2026, 12, 11))
    assert kinds(alice) == [Kind.RENEWAL_DECISION_OVERDUE]
    assert kinds(sam) == kinds(priya) == [Kind.RENEWAL_DECISION_ESCALATED]
    assert kinds(bob) == []
    note = Notification.objects.get(recipient=alice)
    assert note.title == "CON-LATE: your renewal decision is overdue"
    assert "due on 5 May 2026, 3 months before its notice date (5 Aug 2026)" in note.body
    assert note.url == reverse("lifecycle:renewal_decide", args=[overdue.pk])
    escalated = Notification.objects.get(recipient=sam)
    assert "Alice Adams has not recorded" in escalated.body
    # The SRO reads the decision's state on the contract's Lifecycle tab (recording it is the owner's).
    assert escalated.url == reverse("lifecycle:contract", args=[overdue.pk]) + "#renewal"


def test_a_decided_contract_is_not_reminded(overdue, alice):
    with pinned():
        services.renewal_decide(contract=overdue, decision="let_expire", notes="", by=alice)
    remind_overdue()
    assert not Notification.objects.exists()


def test_without_an_oco_the_sro_owns_the_decision(sam, priya):
    contract = make("CON-NOOCO", oco=None, sro=sam, end=date(2027, 2, 1), notice_days=180, by=priya)
    assert contract.renewal_owner == sam
    remind_overdue()
    assert kinds(sam) == [Kind.RENEWAL_DECISION_OVERDUE]
    assert kinds(priya) == [Kind.RENEWAL_DECISION_ESCALATED]


# --- Pages -------------------------------------------------------------------------------------


def page(client, user, name: str) -> str:
    client.force_login(user)
    with pinned():
        response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


def test_decision_overdue_shows_on_the_renewals_list_the_sro_page_and_my_work(client, overdue, alice, sam, priya):
    for user, name in ((priya, "lifecycle:renewals"), (sam, "dashboard:sro"), (alice, "dashboard:my_work")):
        content = page(client, user, name)
        assert "CON-LATE" in content and "Decision overdue" in content, name
        assert "was due 5 May 2026" in content
    dashboard = page(client, priya, "dashboard:procurement")
    assert "<strong>1</strong> renewal decision overdue" in dashboard
    # The owner records it from My work; every page then says it is decided.
    client.force_login(alice)
    with pinned():
        response = client.post(
            reverse("lifecycle:renewal_decide", args=[overdue.pk]), {"decision": "reprocure", "notes": "Tender"}
        )
    assert response.status_code == 302
    for user, name in ((priya, "lifecycle:renewals"), (sam, "dashboard:sro")):
        content = page(client, user, name)
        assert "Decision overdue" not in content and "Decided" in content


def test_another_oco_and_the_sro_may_not_record_the_owners_decision(client, overdue, bob, sam):
    for user, status in ((bob, 404), (sam, 403)):
        client.force_login(user)
        response = client.post(reverse("lifecycle:renewal_decide", args=[overdue.pk]), {"decision": "extend"})
        assert response.status_code == status
    assert not RenewalDecision.objects.exists()


def _count(client, user, name: str) -> int:
    client.force_login(user)
    with pinned(), CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name)).status_code == 200
    return len(queries)


def test_the_pages_queries_do_not_grow_with_overdue_decisions(client, alice, sam, priya, django_assert_max_num_queries):
    make("CON-1", oco=alice, sro=sam, end=date(2027, 2, 1), notice_days=180, by=priya)
    pages = ((priya, "lifecycle:renewals"), (sam, "dashboard:sro"), (alice, "dashboard:my_work"))
    small = {name: _count(client, user, name) for user, name in pages}
    for n in range(2, 12):
        contract = make(f"CON-{n}", oco=alice, sro=sam, end=date(2027, 2, n), notice_days=180, by=priya)
        if n % 2:
            RenewalDecision.objects.create(
                contract=contract, decision="extend", decided_by=alice, end_date=contract.end_date
            )
    for user, name in pages:
        client.force_login(user)
        with pinned(), django_assert_max_num_queries(small[name]):
            content = client.get(reverse(name)).content.decode()
        assert content.count("Decision overdue") >= 6, name


def test_the_owners_reminder_is_a_task_the_decision_closes(overdue, alice, sam):
    remind_overdue()
    task = Notification.objects.get(recipient=alice, kind=Kind.RENEWAL_DECISION_OVERDUE)
    assert task.is_open_task
    assert not Notification.objects.get(recipient=sam).is_task  # the escalation informs
    with pinned():
        services.renewal_decide(contract=overdue, decision="extend", notes="", by=alice)
    task.refresh_from_db()
    assert not task.is_open_task


def test_a_decision_made_elsewhere_closes_the_task_at_the_next_run(overdue, alice):
    remind_overdue()
    RenewalDecision.objects.create(contract=overdue, decision="extend", decided_by=alice, end_date=overdue.end_date)
    remind_overdue(date(2026, 12, 5))
    assert not Notification.objects.get(recipient=alice, kind=Kind.RENEWAL_DECISION_OVERDUE).is_open_task
