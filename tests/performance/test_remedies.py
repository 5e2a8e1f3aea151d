"""Remedies: improvement notices with a cure period, service credits and deductions, breaches and
their outcomes; the section 72 rules that decide when a contract performance notice is due, and the
list of those due (the UK9 notice's performanceFailures: tests/exchange/test_notice_releases.py)."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from contracts.models import Activity, Contract, Regime
from exchange.selectors.performance_failures import section72_notices
from notifications.models import Kind, Notification
from performance import services
from performance.models import Breach, BreachOutcome, CureOutcome, ImprovementNotice, ServiceCredit
from tests import factories

D = Decimal
TODAY = date(2026, 6, 15)
pytestmark = pytest.mark.usefixtures("_today")


@pytest.fixture
def _today():
    with time_machine.travel("2026-06-15 10:00 +01:00", tick=False):
        yield


def _breach(contract, by, *, outcome=BreachOutcome.OPEN, outcome_on=None, value=None, notes="") -> Breach:
    breach = services.breach_record(
        breach=Breach(
            contract=contract,
            identified_on=date(2026, 2, 2),
            requirement="Schedule 2, paragraph 4.1: priority call-outs within 4 hours",
            description="Fourteen priority call-outs attended late in six months.",
        ),
        by=by,
    )
    if outcome != BreachOutcome.OPEN:
        breach.outcome, breach.outcome_on, breach.value, breach.outcome_notes = outcome, outcome_on, value, notes
        breach.full_clean()
        breach = services.breach_decide(breach=breach, by=by)
    return breach


def _improvement_notice(contract, by, *, outcome=CureOutcome.PENDING, outcome_on=None) -> ImprovementNotice:
    notice = services.improvement_notice_issue(
        notice=ImprovementNotice(
            contract=contract,
            issued_on=date(2026, 1, 5),
            failure="Calls answered within 20 seconds below 80% for three months.",
            required_action="Back to 95% within the cure period.",
            cure_by=date(2026, 2, 28),
        ),
        by=by,
    )
    if outcome != CureOutcome.PENDING:
        notice.outcome, notice.outcome_on = outcome, outcome_on
        notice.full_clean()
        notice = services.improvement_notice_decide(notice=notice, by=by)
    return notice


# --- The section 72 rules: one row per rule ---------------------------------------------------------

ACT, PCR = Regime.ACT, Regime.PCR
DECIDED = date(2026, 3, 2)
RULES = [
    # (regime, remedy, outcome, value, due by)
    (ACT, "breach", BreachOutcome.TERMINATION, None, date(2026, 4, 1)),
    (ACT, "breach", BreachOutcome.PARTIAL_TERMINATION, None, date(2026, 4, 1)),
    (ACT, "breach", BreachOutcome.DAMAGES, D("25000"), date(2026, 4, 1)),
    (ACT, "breach", BreachOutcome.SETTLEMENT, D("18500"), date(2026, 4, 1)),
    (ACT, "breach", BreachOutcome.OPEN, None, None),  # no outcome yet
    (ACT, "breach", BreachOutcome.RESOLVED, None, None),  # a breach with none of those outcomes
    (ACT, "notice", CureOutcome.NOT_CURED, None, date(2026, 4, 1)),  # failure to improve
    (ACT, "notice", CureOutcome.CURED, None, None),
    (ACT, "notice", CureOutcome.PENDING, None, None),  # the cure period is running
    (PCR, "breach", BreachOutcome.SETTLEMENT, D("18500"), None),  # not under the Act
    (PCR, "notice", CureOutcome.NOT_CURED, None, None),
]


@pytest.mark.parametrize(("regime", "remedy", "outcome", "value", "due_by"), RULES)
def test_section_72_rule_table(alice, priya, regime, remedy, outcome, value, due_by):
    contract = factories.ContractFactory(oco=alice, regime=regime)
    pending = outcome in (BreachOutcome.OPEN, CureOutcome.PENDING)
    decided_on = None if pending else DECIDED
    row: Breach | ImprovementNotice
    model: type[Breach] | type[ImprovementNotice]
    if remedy == "breach":
        row = _breach(contract, priya, outcome=outcome, outcome_on=decided_on, value=value)
        model = Breach
    else:
        row = _improvement_notice(contract, priya, outcome=outcome, outcome_on=decided_on)
        model = ImprovementNotice
    # The one-row property, the queryset method and the notices list agree.
    assert row.needs_performance_notice is (due_by is not None)
    assert model.objects.needing_performance_notices().filter(pk=row.pk).exists() is (due_by is not None)
    assert row.notice_due_by == due_by  # the decision's date plus 30 days
    listed = section72_notices(Contract.objects.all())
    assert [n.due_by for n in listed] == ([due_by] if due_by else [])


def test_a_published_notice_is_no_longer_due_and_its_task_closes(contract, priya):
    breach = _breach(contract, priya, outcome=BreachOutcome.SETTLEMENT, outcome_on=DECIDED, value=D("18500"))
    task = Notification.objects.get(recipient=priya, kind=Kind.PERFORMANCE_NOTICE_DUE)
    assert task.title == f"Publish a contract performance notice for {contract.reference}: settlement agreed"
    _breach_again = services.breach_decide(breach=breach, by=priya)  # nothing changed: no second task
    assert Notification.objects.filter(kind=Kind.PERFORMANCE_NOTICE_DUE).count() == 1 and _breach_again
    services.remedy_notice_published(remedy=breach, on=date(2026, 3, 20), by=priya)
    assert section72_notices(Contract.objects.all()) == []
    task.refresh_from_db()
    assert task.resolved_at is not None
    assert [n.remedy for n in section72_notices(Contract.objects.all(), due_only=False)] == [breach]


# --- performanceFailures for the UK9 notice ----------------------------------------------------------


def test_a_breachs_settlement_and_its_share_of_the_contract_value(contract, priya):
    settled = _breach(contract, priya, outcome=BreachOutcome.SETTLEMENT, outcome_on=DECIDED, value=D("18500"))
    assert settled.share_of_contract_value == D("18500") / D("300000")
    assert settled.outcome_words == "settlement agreed, £18,500 (6.2% of the contract's value)"
    (notice,) = section72_notices(Contract.objects.all())
    assert notice.as_dict()["share_of_contract_value"] == "0.0617" and notice.kind_label == "Breach: settlement agreed"


# --- Timeline and history ----------------------------------------------------------------------------


def test_each_remedy_goes_on_the_timeline_with_its_history(contract, alice, kpi):
    notice = _improvement_notice(contract, alice, outcome=CureOutcome.NOT_CURED, outcome_on=date(2026, 3, 2))
    credit = services.service_credit_record(
        credit=ServiceCredit(
            contract=contract,
            kpi=kpi,
            period_start=date(2026, 3, 1),
            period_end=date(2026, 3, 31),
            amount=D("1250"),
            invoice_reference="INV-2026-0412",
        ),
        by=alice,
    )
    breach = _breach(contract, alice, outcome=BreachOutcome.SETTLEMENT, outcome_on=DECIDED, value=D("18500"))
    summaries = list(Activity.objects.filter(contract=contract).order_by("pk").values_list("kind", "summary"))
    assert summaries == [
        ("improvement_notice", "Improvement notice given: cure period to 28 Feb 2026"),
        ("improvement_notice", "Improvement notice of 5 Jan 2026: not cured: the supplier failed to improve"),
        (
            "service_credit",
            f"Service credit of £1,250 on {kpi.name} for 1 Mar 2026 to 31 Mar 2026 (invoice INV-2026-0412)",
        ),
        ("breach", "Breach identified: Schedule 2, paragraph 4.1: priority call-outs within 4 hours"),
        ("breach", "Breach of 2 Feb 2026: settlement agreed, £18,500 (6.2% of the contract's value)"),
    ]
    due = Activity.objects.filter(contract=contract, kind="breach").order_by("pk").last()
    assert "A contract performance notice is due by 1 Apr 2026 (section 72)." in due.details
    assert [h.history_user for h in notice.history.all()] == [alice, alice]
    assert credit.history.count() == 1 and breach.history.count() == 2


# --- Pages: who may record, errors next to the field -------------------------------------------------


def test_the_oco_records_a_breach_and_its_settlement_the_sro_is_refused(client, contract, alice, sam, bob):
    url = reverse("performance:breach_create", args=[contract.pk])
    data = {"identified_on": "2026-05-01", "requirement": "Clause 12: response times", "description": "Late"}
    client.force_login(sam)
    assert client.post(url, data).status_code == 403
    client.force_login(bob)
    assert client.post(url, data).status_code == 404
    client.force_login(alice)
    response = client.post(url, data)
    breach = Breach.objects.get()
    assert response.status_code == 302 and response["Location"] == breach.get_absolute_url()

    page = reverse("performance:breach", args=[breach.pk])
    outcome = {"outcome": "settlement", "outcome_on": "2026-06-01", "value": "", "outcome_notes": ""}
    client.force_login(sam)
    assert client.get(page).status_code == 200 and client.post(page, outcome).status_code == 403
    client.force_login(alice)
    response = client.post(page, outcome)
    assert response.status_code == 200
    assert "Give the value of the damages or the settlement" in " ".join(response.context["form"].errors["value"])
    assert 'id="error_1_id_value"' in response.content.decode()
    response = client.post(page, {**outcome, "value": "30000"}, follow=True)
    text = response.content.decode()
    assert "Settlement agreed, £30,000 (10.0% of the contract&#x27;s value)" in text
    assert "A contract performance notice is due by <strong>1 Jul 2026</strong>" in text


def test_failing_to_improve_before_the_cure_period_ends_is_refused_next_to_the_field(client, contract, alice):
    notice = services.improvement_notice_issue(
        notice=ImprovementNotice(
            contract=contract,
            issued_on=date(2026, 6, 1),
            failure="Late",
            required_action="On time",
            cure_by=date(2026, 7, 1),
        ),
        by=alice,
    )
    client.force_login(alice)
    data = {"outcome": "not_cured", "outcome_on": "2026-06-15", "outcome_notes": ""}
    response = client.post(reverse("performance:improvement_notice", args=[notice.pk]), data)
    assert "only once it has ended" in " ".join(response.context["form"].errors["outcome"])
    notice.refresh_from_db()
    assert notice.outcome == CureOutcome.PENDING


def test_a_service_credit_must_be_for_one_of_the_kpis_periods(client, contract, alice, kpi):
    client.force_login(alice)
    url = reverse("performance:service_credit_create", args=[contract.pk])
    data = {
        "kpi": kpi.pk,
        "period_start": "2026-03-15",
        "kind": "service_credit",
        "amount": "1250",
        "invoice_reference": "INV-1",
        "reason": "",
    }
    response = client.post(url, data)
    assert "No reporting period of" in " ".join(response.context["form"].errors["period_start"])
    response = client.post(url, {**data, "amount": "0"})
    assert "positive amount" in " ".join(response.context["form"].errors["amount"])
    assert not ServiceCredit.objects.exists()
    response = client.post(url, {**data, "period_start": "2026-03-01"})
    credit = ServiceCredit.objects.get()
    assert (credit.period_start, credit.period_end) == (date(2026, 3, 1), date(2026, 3, 31))


def test_the_remedies_page_and_the_notices_list(client, contract, priya, alice, django_assert_max_num_queries):
    for day in (2, 3, 4):
        _breach(contract, priya, outcome=BreachOutcome.DAMAGES, outcome_on=date(2026, 3, day), value=D("100"))
    _improvement_notice(contract, priya, outcome=CureOutcome.NOT_CURED, outcome_on=date(2026, 6, 1))
    client.force_login(alice)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("performance:remedies", args=[contract.pk])).content.decode()
    assert page.count("Overdue</span>") == 3 and "Due</span> by 1 Jul 2026" in page
    assert client.get(reverse("exchange:failure_notices")).status_code == 403  # the Procurement Unit's list
    client.force_login(priya)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("exchange:failure_notices"))
    assert [r["notice"].due_by for r in response.context["rows"]] == [
        date(2026, 4, 1),
        date(2026, 4, 2),
        date(2026, 4, 3),
        date(2026, 7, 1),
    ]
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("exchange:failure_notices") + "?format=csv").content.decode()))
    )
    assert [r["kind"] for r in rows] == ["breach", "breach", "breach", "failure_to_improve"]
    data = json.loads(client.get(reverse("exchange:failure_notices") + "?format=json").content)["notices"]
    assert data[-1]["due_by"] == "2026-07-01"
    # Recorded as published from the list: it leaves it.
    breach = Breach.objects.order_by("outcome_on").first()
    url = reverse("performance:breach_notice_published", args=[breach.pk])
    response = client.post(url, {"published_on": "2026-03-01", "next": "list"})
    assert "before the outcome was decided" in response.content.decode()
    response = client.post(url, {"published_on": "2026-03-30", "next": "list"})
    assert response["Location"] == reverse("exchange:failure_notices")
    assert len(section72_notices(Contract.objects.all())) == 3
