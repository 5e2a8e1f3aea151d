"""When a contract's next face-to-face meeting is due and by when it must be arranged.

Pure date arithmetic, no database: the selectors feed it the facts."""

from dataclasses import dataclass
from datetime import date

from django.db import models

from core.dates import add_months
from core.formatting import long_date

LEAD_TIME_MONTHS = 6


class Cadence(models.TextChoices):
    """How often face-to-face meetings are held, in the words pages show ("Every six months")."""

    MONTHLY = "monthly", "Every month"
    QUARTERLY = "quarterly", "Every three months"
    SIX_MONTHLY = "six_monthly", "Every six months"
    ANNUAL = "annual", "Every year"
    NONE = "none", "No face-to-face meetings"


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


class Lateness(models.TextChoices):
    """How a face-to-face meeting kept the six-month rule. Blank: on time (or not judged)."""

    ON_TIME = "", "On time"
    ARRANGED_LATE = "arranged_late", "Arranged late"
    LATE = "late", "Late"


def arrange_by_for(due: date) -> date:
    """A face-to-face meeting is arranged six months before it is due."""
    return add_months(due, -LEAD_TIME_MONTHS)


def meeting_due(*, cadence: str, previous: date | None, start_date: date) -> date | None:
    """When a face-to-face meeting is due: one cadence after the previous one (or after the
    contract started, for the first); None when the cadence asks for no meetings."""
    months = CADENCE_MONTHS.get(cadence)
    return add_months(previous or start_date, months) if months else None


def lateness(*, on: date, arranged_on: date | None, due: date | None) -> str:
    """The rule, once (`Meeting.lateness` and `MeetingQuerySet.with_lateness` apply it): a meeting
    dated after it was due is late; one recorded after its arrange-by date is arranged late."""
    if due is None or arranged_on is None:
        return Lateness.ON_TIME
    if on > due:
        return Lateness.LATE
    if arranged_on > arrange_by_for(due):
        return Lateness.ARRANGED_LATE
    return Lateness.ON_TIME


@dataclass(frozen=True)
class MeetingSchedule:
    cadence: str
    state: str
    due: date | None = None
    arrange_by: date | None = None
    next_planned: date | None = None
    # Of the next planned meeting, when arranged: late, arranged late, or blank (on time).
    lateness: str = ""

    @property
    def label(self) -> str:
        if self.state == State.ARRANGED:
            assert self.next_planned is not None
            late = f" ({Lateness(self.lateness).label.lower()})" if self.lateness else ""
            return f"Arranged for {long_date(self.next_planned)}{late}"
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
    next_due: date | None = None,
    next_lateness: str = "",
) -> MeetingSchedule:
    """The next face-to-face meeting: due one cadence after the last held one (or after
    the contract started, for the first); arranged when one is planned ahead; the
    arrange-by date is six months before the due date. Cancelled and postponed
    meetings count as neither held nor planned. `next_due` and `next_lateness` are the planned
    meeting's own (stored when it was arranged): it is never shown as plainly arranged when late."""
    if cadence == Cadence.NONE or cadence not in CADENCE_MONTHS:
        return MeetingSchedule(cadence=cadence, state=State.NOT_REQUIRED)
    if next_planned is not None and next_planned >= today:
        return MeetingSchedule(
            cadence=cadence,
            state=State.ARRANGED,
            due=next_due or next_planned,
            arrange_by=arrange_by_for(next_due or next_planned),
            next_planned=next_planned,
            lateness=next_lateness,
        )
    due = meeting_due(cadence=cadence, previous=last_held, start_date=start_date)
    assert due is not None
    arrange_by = arrange_by_for(due)
    state = State.ARRANGE_BY if today <= arrange_by else State.PASSED
    return MeetingSchedule(cadence=cadence, state=state, due=due, arrange_by=arrange_by)
