"""Services about meetings, split by subdomain: the writes, each writing the contract's timeline
(meetings.py); each contract's last held face-to-face meeting (dates.py); the date-driven reminder
jobs (reminders.py)."""

from meetings.services.dates import last_held_rebuild, last_held_refresh
from meetings.services.meetings import (
    action_save,
    calendar_feed_renew,
    calendar_feed_revoke,
    meeting_arranged_late_tell,
    meeting_due_dates_fill,
    meeting_plan_set,
    meeting_save,
)
from meetings.services.reminders import (
    actions_overdue_send,
    meeting_lead_time_reminders_send,
    meeting_upcoming_reminders_send,
    meetings_arranged_late_send,
    minutes_missing_send,
)

__all__ = [
    "action_save",
    "actions_overdue_send",
    "calendar_feed_renew",
    "calendar_feed_revoke",
    "last_held_rebuild",
    "last_held_refresh",
    "meeting_arranged_late_tell",
    "meeting_due_dates_fill",
    "meeting_lead_time_reminders_send",
    "meeting_plan_set",
    "meeting_save",
    "meeting_upcoming_reminders_send",
    "meetings_arranged_late_send",
    "minutes_missing_send",
]
