"""Meetings with their actions, the administration log and MI reports, filled server-side with
INSERT ... SELECT over generate_series from the temporary table `seed_contract` (see
demo/scale/performance.py for how the rows are drawn)."""

# ruff: noqa: S608 - the SQL is built from model table names and this module's constants, never from input.

from django.db.backends.utils import CursorWrapper

from contracts.models import Activity, Contract
from demo.scale.data import MONTHS_OF_RESULTS, Clock
from demo.scale.rows import insert_select, table
from meetings.models import Action, Meeting
from performance.models import MiReport


def meetings(cursor: CursorWrapper, *, clock: Clock) -> None:
    """Face-to-face meetings by each contract's cadence over the three years (a few cancelled or
    postponed) and, where the OCO plans ahead, up to a year ahead; most arranged six months or more
    before, some at short notice with the reason; recent ones more often without minutes yet. A
    quarter of the active contracts also have two virtual check-ins. Then the actions agreed."""
    params = {"first": clock.first_period, "today": clock.today, "now": clock.now, "tz": clock.tz}
    insert_select(
        cursor,
        Meeting,
        f"""
        SELECT contract_id, 'face_to_face' AS kind, (day + time '10:00') AT TIME ZONE %(tz)s AS starts_at,
               90 AS duration_minutes,
               CASE WHEN r3 < 0.6 THEN 'Force headquarters, meeting room 2' ELSE 'The supplier''s offices' END
                   AS location,
               arranged_on,
               'Contract review: performance against KPIs, risks and issues, continuous improvement, actions.'
                   AS agenda,
               status,
               CASE WHEN day < (arranged_on + interval '6 months')::date
                    THEN 'Arranged at short notice: the previous date was lost to operational demands.'
                    ELSE '' END AS short_notice_reason,
               CASE WHEN status = 'held' AND NOT no_minutes
                    THEN 'Performance reviewed against every KPI. Risks and open actions discussed; '
                         'new actions agreed and owners named.'
                    ELSE '' END AS minutes,
               recorder_id AS created_by_id,
               least(%(now)s, (arranged_on + time '09:00') AT TIME ZONE %(tz)s) AS created_at
        FROM (
            SELECT d.*,
                   least(%(today)s, CASE WHEN short THEN day - (14 + floor(r2 * 110))::int
                                         ELSE day - (190 + floor(r2 * 120))::int END) AS arranged_on,
                   CASE WHEN day > %(today)s THEN 'planned' WHEN r1 < 0.03 THEN 'cancelled'
                        WHEN r1 < 0.05 THEN 'postponed' ELSE 'held' END AS status,
                   r4 < CASE WHEN day > %(today)s - 60 THEN 0.35 ELSE 0.05 END AS no_minutes
            FROM (
                SELECT s.contract_id, s.recorder_id, s.plans_ahead, c.status AS contract_status,
                       c.start_date, c.end_date,
                       (%(first)s::date + s.meeting_offset + make_interval(months => k * s.cadence_months))::date
                           AS day,
                       random() < 0.12 AS short, random() AS r1, random() AS r2, random() AS r3, random() AS r4
                FROM seed_contract s
                JOIN {table(Contract)} c ON c.id = s.contract_id
                CROSS JOIN LATERAL generate_series(0, 48 / s.cadence_months) k
            ) d
            WHERE day BETWEEN start_date AND end_date AND day <> %(today)s
              AND (day < %(today)s OR (plans_ahead AND contract_status IN ('active', 'draft')
                                       AND day <= %(today)s + 365))
        ) m
        """,
        params,
        now=clock.now,
    )
    insert_select(
        cursor,
        Meeting,
        f"""
        SELECT contract_id, 'virtual' AS kind, (day + time '14:00') AT TIME ZONE %(tz)s AS starts_at,
               45 AS duration_minutes, 'Microsoft Teams' AS location, day - 14 AS arranged_on,
               'Monthly check-in on service delivery.' AS agenda, 'held' AS status,
               'Service delivery on track; no new risks.' AS minutes, recorder_id AS created_by_id,
               ((day - 14) + time '09:00') AT TIME ZONE %(tz)s AS created_at
        FROM (
            SELECT s.contract_id, s.recorder_id, c.start_date,
                   %(today)s - v * (40 + s.contract_id %% 50)::int AS day
            FROM seed_contract s
            JOIN {table(Contract)} c ON c.id = s.contract_id
            CROSS JOIN LATERAL generate_series(1, s.virtual_meetings) v
        ) d
        WHERE day >= start_date
        """,
        params,
        now=clock.now,
    )
    # Actions agreed at held meetings with minutes: most done, some overdue, some not yet due.
    insert_select(
        cursor,
        Action,
        f"""
        SELECT meeting_id, (%(descriptions)s::text[])[1 + (meeting_id + a) %% 5] AS description,
               recorder_id AS owner_id, due AS due_date,
               CASE WHEN due < %(today)s - 45 THEN CASE WHEN r < 0.93 THEN due - floor(r * 10)::int END
                    WHEN due < %(today)s THEN CASE WHEN r < 0.5 THEN due - 2 END
                    ELSE CASE WHEN r < 0.2 THEN least(day + 3, %(today)s) END END AS done_on
        FROM (
            SELECT m.id AS meeting_id, s.recorder_id, a, (m.starts_at AT TIME ZONE %(tz)s)::date AS day,
                   (m.starts_at AT TIME ZONE %(tz)s)::date + 14 + 7 * ((m.id + a) %% 7)::int AS due,
                   random() AS r
            FROM {table(Meeting)} m
            JOIN seed_contract s ON s.contract_id = m.contract_id
            CROSS JOIN LATERAL generate_series(1, (m.id %% 4)::int) a
            WHERE m.status = 'held' AND m.minutes <> ''
        ) d
        """,
        params
        | {
            "descriptions": [
                "Supplier to send a recovery plan for the KPIs below target.",
                "Send the updated risk register.",
                "Confirm the price review figures for next year.",
                "Arrange a site visit for the OCO.",
                "Provide the social value report for the quarter.",
            ]
        },
        now=clock.now,
    )


ACTIVITY_KINDS = ("call", "call", "call", "call", "mi_report", "mi_report", "supplier_event", "mi_evaluation", "note")
ACTIVITY_SUMMARIES = {
    "call": "Call with the account manager about service levels.",
    "mi_report": "Monthly MI report received from the supplier.",
    "supplier_event": "Supplier's annual customer event attended.",
    "mi_evaluation": "MI evaluated against our own records: figures agree.",
    "note": "Supplier's new account manager introduced.",
}


def activities(cursor: CursorWrapper, *, clock: Clock) -> None:
    """A few entries in each contract's administration log while it ran, then quarterly MI reports:
    most on time, a few late, the latest perhaps not yet due."""
    params = {"first": clock.first_period, "today": clock.today, "now": clock.now, "tz": clock.tz}
    insert_select(
        cursor,
        Activity,
        f"""
        SELECT contract_id, kind, occurred_on,
               (%(summaries)s::text[])[array_position(%(names)s::text[], kind)] AS summary,
               recorder_id AS recorded_by_id,
               least(%(now)s, (occurred_on + time '16:00') AT TIME ZONE %(tz)s) AS recorded_at
        FROM (
            SELECT s.contract_id, s.recorder_id,
                   (%(kinds)s::text[])[1 + floor(random() * %(kind_count)s)::int] AS kind,
                   lo + floor(random() * (hi - lo + 1))::int AS occurred_on
            FROM seed_contract s
            JOIN {table(Contract)} c ON c.id = s.contract_id
            CROSS JOIN LATERAL (
                SELECT greatest(c.start_date, %(first)s) AS lo, least(c.end_date, %(today)s) AS hi
            ) life
            CROSS JOIN LATERAL generate_series(1, s.activities) a
            WHERE lo <= hi
        ) d
        """,
        params
        | {
            "kinds": list(ACTIVITY_KINDS),
            "kind_count": len(ACTIVITY_KINDS),
            "names": list(ACTIVITY_SUMMARIES),
            "summaries": list(ACTIVITY_SUMMARIES.values()),
        },
        now=clock.now,
    )
    insert_select(
        cursor,
        MiReport,
        f"""
        SELECT contract_id,
               to_char(period_start, 'FMMonth YYYY') || ' to ' || to_char(period_end, 'FMMonth YYYY')
                   AS period_label,
               period_start, period_end, expected_by, received_on,
               CASE WHEN received_on IS NOT NULL AND r3 < 0.7
                    THEN 'Complete and on time; figures agree with our own records.' ELSE '' END AS evaluation,
               CASE WHEN received_on IS NOT NULL AND r3 < 0.12 THEN 'Weekend cover below contract.' ELSE '' END
                   AS issues_found,
               recorder_id AS recorded_by_id,
               least(%(now)s, (coalesce(received_on, period_end + 1) + time '12:00') AT TIME ZONE %(tz)s)
                   AS recorded_at
        FROM (
            SELECT d.*,
                   CASE WHEN expected_by < %(today)s THEN
                            CASE WHEN r1 < CASE WHEN expected_by > %(today)s - 100 THEN 0.12 ELSE 0.015 END
                                 THEN NULL
                                 ELSE least(%(today)s,
                                            greatest(period_end + 1, expected_by + floor(r2 * 30)::int - 18))
                            END
                        WHEN r1 < 0.4 THEN least(%(today)s, period_end + 1 + floor(r2 * 10)::int)
                   END AS received_on
            FROM (
                SELECT s.contract_id, s.recorder_id, c.start_date, c.end_date,
                       (%(first)s::date + make_interval(months => 3 * q))::date AS period_start,
                       (%(first)s::date + make_interval(months => 3 * q + 3))::date - 1 AS period_end,
                       (%(first)s::date + make_interval(months => 3 * q + 3))::date + 20 AS expected_by,
                       random() AS r1, random() AS r2, random() AS r3
                FROM seed_contract s
                JOIN {table(Contract)} c ON c.id = s.contract_id
                CROSS JOIN generate_series(0, {MONTHS_OF_RESULTS // 3 - 1}) q
            ) d
            WHERE period_end < %(today)s AND period_start <= end_date AND period_end >= start_date
        ) r
        """,
        params,
        now=clock.now,
    )
