"""When a contract's next face-to-face meeting is due and by when it must be arranged.

Pure date arithmetic, no database: the selectors feed it the facts."""

from dataclasses import dataclass
from datetime import date

from django.db import models

from core.dates import add_months
from core.formatting import long_date

LEAD_TIME_MONTHS = 6


class Cadence(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    SIX_MONTHLY = "six_monthly", "Six-monthly"
    ANNUAL = "annual", "Annual"
    NONE = "none", "None"


CADENCE_MONTHS: dict[str, int] = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.SIX_MONTHLY: 6, Cadence.ANNUAL: 12}

# The policy's defaults by Kraljic quadrant; without a quadrant, at least once a year.
CADENCE_BY_QUADRANT = {
    "strategic": Cadence.QUARTERLY,
    "leverage": Cadence.SIX_MONTHLY,
    "bottleneck": Cadence.SIX_MONTHLY,
    "non_critical": Cadence.ANNUAL,
}
DEFAULT_CADENCE = Cadence.ANNUAL


class State(models.TextChoices):
    ARRANGED = "arranged", "Arranged"
    ARRANGE_BY = "arrange_by", "Arrange by"
    PASSED = "passed", "Arrange-by date passed"
    NOT_REQUIRED = "not_required", "No face-to-face meetings required"


@dataclass(frozen=True)
class MeetingSchedule:
    cadence: str
    state: str
    due: date | None = None
    arrange_by: date | None = None
    next_planned: date | None = None

    @property
    def label(self) -> str:
        if self.state == State.ARRANGED:
            assert self.next_planned is not None
            return f"Arranged for {long_date(self.next_planned)}"
        if self.state == State.ARRANGE_BY:
            assert self.arrange_by is not None
            return f"Arrange by {long_date(self.arrange_by)}"
        if self.state == State.PASSED:
            assert self.arrange_by is not None
            return f"Arrange-by date passed ({long_date(self.arrange_by)})"
        return State.NOT_REQUIRED.label


def meeting_schedule(
    *,
    cadence: str,
    today: date,
    start_date: date,
    last_held: date | None,
    next_planned: date | None,
) -> MeetingSchedule:
    """The next face-to-face meeting: due one cadence after the last held one (or after
    the contract started, for the first); arranged when one is planned ahead; the
    arrange-by date is six months before the due date. Cancelled and postponed
    meetings count as neither held nor planned."""
    if cadence == Cadence.NONE or cadence not in CADENCE_MONTHS:
        return MeetingSchedule(cadence=cadence, state=State.NOT_REQUIRED)
    if next_planned is not None and next_planned >= today:
        return MeetingSchedule(
            cadence=cadence,
            state=State.ARRANGED,
            due=next_planned,
            arrange_by=add_months(next_planned, -LEAD_TIME_MONTHS),
            next_planned=next_planned,
        )
    due = add_months(last_held or start_date, CADENCE_MONTHS[cadence])
    arrange_by = add_months(due, -LEAD_TIME_MONTHS)
    state = State.ARRANGE_BY if today <= arrange_by else State.PASSED
    return MeetingSchedule(cadence=cadence, state=state, due=due, arrange_by=arrange_by)
