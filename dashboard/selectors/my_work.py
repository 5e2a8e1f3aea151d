"""My work: what an OCO must do today across the active contracts on which they are the OCO, each list
read once over those contracts (a fixed number of queries however many there are)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef

from accounts.models import User
from contracts.models import Contract, ContractDocument
from dashboard.selectors.escalations import open_escalations
from dashboard.selectors.meetings import meetings_arranged_late
from meetings.models import Action
from meetings.schedule import State
from meetings.selectors import schedule_from_facts, with_meeting_facts
from performance.selectors import PerformanceTasks, performance_tasks

# My work lists a meeting to arrange once its arrange-by date is this close.
ARRANGE_SOON = timedelta(days=60)
# ... and a renewal decision once its decide-by date is this close.
RENEWAL_SOON = timedelta(days=60)
# A contract's current signed contract document (My work lists the contracts without one).
CURRENT_CONTRACT_DOCUMENT = ContractDocument.objects.filter(kind=ContractDocument.Kind.CONTRACT, is_current=True)
# What My work reads of each of the OCO's contracts: its name and, for its meeting schedule, its start
# and Kraljic quadrant (meetings.selectors.schedule_from_facts); not the other thirty columns.
MY_WORK_CONTRACT_FIELDS = ("reference", "title", "start_date", "kraljic_quadrant", "meeting_plan__cadence")
# ... and of each meeting action: what its row shows (the owner's name, the contract's reference).
MY_WORK_ACTION_FIELDS = (
    "description",
    "due_date",
    "done_on",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
    "meeting__contract_id",
)


@dataclass
class MyWork:
    contracts_count: int
    tasks: PerformanceTasks
    to_arrange: list
    arranged_late: list
    actions: list
    escalations: list
    without_document: list
    renewals: list


def my_work_lists(user: User, *, today: date) -> MyWork:
    # The OCO's active contracts once, with what the lists of whole contracts show (a meeting to
    # arrange, a missing contract document): the other lists then read them by their ids, which the
    # planner meets with an index rather than a scan of the register.
    mine = list(
        with_meeting_facts(Contract.objects.filter(oco=user).active().order_by("reference"))
        .annotate(has_document=Exists(CURRENT_CONTRACT_DOCUMENT.filter(contract=OuterRef("pk"))))
        .only(*MY_WORK_CONTRACT_FIELDS)
    )
    contracts = Contract.objects.filter(pk__in=[contract.pk for contract in mine])
    tasks = performance_tasks(user, today=today, contracts=contracts)
    to_arrange = []
    for contract in mine:
        schedule = schedule_from_facts(contract, today=today)
        if schedule.state == State.PASSED or (
            schedule.state == State.ARRANGE_BY
            and schedule.arrange_by is not None
            and schedule.arrange_by <= today + ARRANGE_SOON
        ):
            contract.schedule = schedule
            to_arrange.append(contract)
    to_arrange.sort(key=lambda c: (c.schedule.arrange_by, c.reference))
    # The lists below name their contract: the one read above, not joined again (a join the planner
    # meets with a scan of the whole register).
    by_pk = {contract.pk: contract for contract in mine}
    arranged_late = list(meetings_arranged_late(contracts, today=today).order_by("-starts_at")[:20])
    actions = list(
        Action.objects.filter(done_on__isnull=True, due_date__lt=today + timedelta(days=14))
        .filter(meeting__contract__in=contracts)
        .select_related("meeting", "owner")
        .only(*MY_WORK_ACTION_FIELDS)
        .order_by("due_date", "pk")[:50]
    )
    escalations = list(open_escalations(contracts).order_by("raised_on", "pk")[:20])
    for meeting in arranged_late:
        meeting.contract = by_pk[meeting.contract_id]
    for escalation in escalations:
        escalation.contract = by_pk[escalation.contract_id]
    for action in actions:
        action.meeting.contract = by_pk[action.meeting.contract_id]
    without_document = [contract for contract in mine if not contract.has_document]
    renewals = list(
        contracts.renewal_decision_due(today=today, within=RENEWAL_SOON)
        .only("reference", "title")
        .order_by("decide_by", "reference")
    )
    return MyWork(
        contracts_count=len(mine),
        tasks=tasks,
        to_arrange=to_arrange,
        arranged_late=arranged_late,
        actions=actions,
        escalations=escalations,
        without_document=without_document,
        renewals=renewals,
    )
