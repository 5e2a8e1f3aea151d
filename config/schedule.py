"""Celery beat's schedule (settings.CELERY_BEAT_SCHEDULE). Every job is date-driven and idempotent
(ARCHITECTURE.md: the schedule); the entry names are what the jobs record in JobRun, shown on the
operations page. Times are the force's (Europe/London)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "heartbeat": {
        "task": "notifications.tasks.heartbeat",
        "schedule": crontab(minute="*/5"),
    },
    "meeting-lead-time-reminders": {
        "task": "meetings.tasks.send_meeting_lead_time_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "meeting-reminders": {
        "task": "meetings.tasks.send_meeting_reminders",
        "schedule": crontab(hour=7, minute=10),
    },
    "kpi-reminders": {
        "task": "performance.tasks.send_kpi_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # The supplier portal: a supplier's people reminded of an MI report a week before it is due, and when late.
    "supplier-mi-reminders": {
        "task": "portal.tasks.send_supplier_mi_reminders",
        "schedule": crontab(hour=7, minute=35),
    },
    # MI reports that became late and milestones missed go on their contract's timeline, once each.
    "late-mi-and-missed-milestones": {
        "task": "performance.tasks.record_late_mi_and_missed_milestones",
        "schedule": crontab(hour=6, minute=30),
    },
    # Before the expiry alerts: a contract past its end date with no extension taken becomes expired
    # (one alarm, not a "still active" alert too); overdue renewal decisions are reminded and escalated.
    "contract-dates-daily": {
        "task": "contracts.tasks.contract_dates_daily",
        "schedule": crontab(hour=6, minute=30),
    },
    "contract-expiry-alerts": {
        "task": "contracts.tasks.send_expiry_alerts",
        "schedule": crontab(hour=6, minute=45),
    },
    "training-reminders": {
        "task": "contracts.tasks.send_training_reminders",
        "schedule": crontab(hour=7, minute=40),
    },
    # The six-monthly Kraljic review opens at 07:00 on 1 January and 1 July ...
    "kraljic-review-open": {
        "task": "contracts.tasks.open_kraljic_review_round",
        "schedule": crontab(hour=7, minute=0, day_of_month=1, month_of_year="1,7"),
    },
    # ... and a daily check opens a round a missed run left unopened, and sends the round's reminders.
    "kraljic-review-daily": {
        "task": "contracts.tasks.kraljic_review_daily",
        "schedule": crontab(hour=7, minute=20),
    },
    "performance-notice-reminders": {
        "task": "exchange.tasks.send_performance_notice_reminders",
        "schedule": crontab(hour=7, minute=50),
    },
    # Each notice recorded as published with its Find a Tender identifier, checked against Find a
    # Tender's OCDS API until it is found; failures wait longer each time (exchange.services.publication).
    "notice-publication-confirm": {
        "task": "exchange.tasks.confirm_notice_publications",
        "schedule": crontab(hour="7-19", minute=25),
    },
    "escalation-overdue-reminders": {
        "task": "contracts.tasks.send_escalation_overdue_reminders",
        "schedule": crontab(hour=7, minute=55),
    },
    # Before the escalation reminders: what Companies House says of each supplier (API key needed).
    "companies-house-check": {
        "task": "contracts.tasks.check_suppliers_at_companies_house",
        "schedule": crontab(hour=5, minute=30),
    },
    # After the morning's reminder jobs: one e-mail per person listing their new notifications.
    "notification-digest": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=8, minute=0),
    },
    # When the broker or the workers were down, beat's messages were lost: this runs each job above
    # whose time has passed in the last day without a successful run, sends again the e-mails that
    # could not be sent, and sends CATCH_UP_TASKS (which re-queue work left waiting).
    "catch-up": {
        "task": "notifications.tasks.catch_up",
        "schedule": crontab(minute="*/10"),
    },
}
