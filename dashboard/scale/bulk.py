"""The big tables of the scale register, filled server-side with INSERT ... SELECT over generate_series.

Each function reads the per-contract decisions from the temporary table `seed_contract` (see
ScaleRegister.contracts) and draws the noise of each row with random(), which setseed() makes
repeatable. The draws are made in the innermost query, once per row; outer queries only compute.
"""

# ruff: noqa: S608 - the SQL is built from model table names and this module's constants, never from input.

from typing import Any

from django.db.backends.utils import CursorWrapper

from contracts.models import Contract, ContractAssignment, Escalation
from dashboard.scale.data import GOOD, KPI_NAMES, KPI_TARGETS, KPIS_PER_CONTRACT, MONTHS_OF_RESULTS, POOR, Clock
from meetings.models import Action, Activity, Meeting
from performance.models import Kpi, KpiResult, MiReport, PoorPerformanceRun


def table(model) -> str:
    return model._meta.db_table


def drop_indexes(cursor: CursorWrapper, models) -> list[str]:
    """Drop the foreign keys, unique constraints and secondary indexes of these tables (not their
    primary keys); return the statements that make them again, exactly as they were.

    Filled without them, a table gets one sort per index and one join per foreign key afterwards,
    instead of an index update and a deferred check per row."""
    indexes: list[str] = []
    uniques: list[str] = []
    foreign_keys: list[str] = []
    for model in models:
        name = table(model)
        cursor.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY conname",
            [name],
        )
        for constraint, kind, definition in cursor.fetchall():
            cursor.execute(f'ALTER TABLE {name} DROP CONSTRAINT "{constraint}"')
            statement = f'ALTER TABLE {name} ADD CONSTRAINT "{constraint}" {definition}'
            (foreign_keys if kind == "f" else uniques).append(statement)
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS ("
            "  SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)",
            [name],
        )
        for index, definition in cursor.fetchall():
            cursor.execute(f"DROP INDEX {index}")
            indexes.append(definition)
    return indexes + uniques + foreign_keys


def recreate(cursor: CursorWrapper, statements: list[str]) -> None:
    # The deferred checks still queued by the ORM's inserts run now: ALTER TABLE refuses a table
    # with pending trigger events.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for statement in statements:
        cursor.execute(statement)
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def assignments(cursor: CursorWrapper, *, clock: Clock, assigned_by: int) -> None:
    """The current OCO and SRO assignment of each contract, open since it started."""
    contracts = table(Contract)
    cursor.execute(
        f"""
        INSERT INTO {table(ContractAssignment)} (contract_id, role, user_id, started_at, ended_at, assigned_by_id)
        SELECT id, role, user_id, (least(start_date, %(today)s) + time '09:00') AT TIME ZONE %(tz)s, NULL, %(by)s
        FROM (
            SELECT id, 'oco' AS role, oco_id AS user_id, start_date FROM {contracts} WHERE oco_id IS NOT NULL
            UNION ALL
            SELECT id, 'sro', sro_id, start_date FROM {contracts} WHERE sro_id IS NOT NULL
        ) holders
        """,
        {"today": clock.today, "tz": clock.tz, "by": assigned_by},
    )


def kpi_results(cursor: CursorWrapper, *, clock: Clock) -> None:
    """36 monthly results on each of a contract's 8 KPIs (percentages, higher is better), rated as
    Kpi.rate rates them. Good suppliers mostly meet their targets, mixed ones less often, poor ones
    fall short on a few KPIs for their last few months in a row (persistent poor performance).

    Values are worked in tenths of a percent, as integers: the ratings compare integers exactly
    as Kpi.rate compares the decimals, and integer arithmetic is several times faster."""
    cursor.execute(
        f"""
        CREATE TEMP TABLE seed_kpi ON COMMIT DROP AS
        SELECT (s.contract_id - 1) * {KPIS_PER_CONTRACT} + j + 1 AS id, s.contract_id, j, s.recorder_id,
               s.profile, s.profile = {POOR} AND j < s.poor_kpis AS goes_poor, s.poor_months,
               (%(targets)s::int[])[pick] AS target, (%(tolerances)s::int[])[pick] AS tolerance,
               (%(targets)s::int[])[pick] - (%(tolerances)s::int[])[pick] - (%(gaps)s::int[])[pick] AS threshold,
               -- each OCO records their results a few days after the month, on their own rhythm
               (s.contract_id %% 12) * interval '1 day' AS delay
        FROM seed_contract s
        CROSS JOIN generate_series(0, {KPIS_PER_CONTRACT - 1}) j
        CROSS JOIN LATERAL (SELECT 1 + (j + s.contract_id) %% {len(KPI_TARGETS)} AS pick) p
        """,
        {
            "targets": [round(t * 10) for t, _, _ in KPI_TARGETS],
            "tolerances": [round(t * 10) for _, t, _ in KPI_TARGETS],
            "gaps": [round(g * 10) for _, _, g in KPI_TARGETS],
        },
    )
    cursor.execute("ANALYZE seed_kpi")
    cursor.execute(
        f"""
        INSERT INTO {table(KpiResult)} (kpi_id, period_start, period_end, actual, commentary, evidence,
            evidence_name, rating, rating_override, override_reason, recorded_by_id, recorded_at, updated_at)
        SELECT kpi_id, period_start, period_end, tenths / 10.0,
               CASE WHEN tenths >= target - tolerance THEN ''
                    WHEN tenths < threshold THEN %(inadequate_note)s ELSE %(requires_improvement_note)s END,
               '', '',
               CASE WHEN tenths >= target THEN 'good' WHEN tenths >= target - tolerance THEN 'approaching'
                    WHEN tenths < threshold THEN 'inadequate' ELSE 'requires_improvement' END,
               '', '', recorder_id, recorded_at, recorded_at
        FROM (
            SELECT kpi_id, recorder_id, target, tolerance, threshold, period_start, period_end,
                   least(%(now)s, recorded_from + delay) AS recorded_at,
                   CASE WHEN r < p_good THEN target + floor((1000 - target) * (0.1 + 0.8 * r2))::int
                        WHEN r < p_approaching THEN target - floor(tolerance * r2)::int
                        WHEN r < p_requires_improvement
                            THEN threshold + floor((target - tolerance - threshold) * r2)::int
                        ELSE greatest(0, threshold - 10 - floor(140 * r2)::int) END AS tenths
            FROM (
                SELECT k.id AS kpi_id, k.recorder_id, k.target, k.tolerance, k.threshold, k.delay,
                       p.period_start, p.period_end, p.recorded_from, random() AS r, random() AS r2,
                       CASE WHEN k.goes_poor AND p.m >= {MONTHS_OF_RESULTS} - k.poor_months THEN 0.0::float8
                            WHEN k.profile = {GOOD} THEN 0.90::float8 ELSE 0.75::float8 END AS p_good,
                       CASE WHEN k.goes_poor AND p.m >= {MONTHS_OF_RESULTS} - k.poor_months THEN 0.0::float8
                            WHEN k.profile = {GOOD} THEN 0.982::float8 ELSE 0.96::float8 END AS p_approaching,
                       CASE WHEN k.goes_poor AND p.m >= {MONTHS_OF_RESULTS} - k.poor_months THEN 0.65::float8
                            WHEN k.profile = {GOOD} THEN 0.997::float8 ELSE 0.993::float8 END
                           AS p_requires_improvement
                FROM seed_kpi k
                CROSS JOIN (
                    SELECT m, (%(first)s::date + make_interval(months => m))::date AS period_start,
                           (%(first)s::date + make_interval(months => m + 1))::date - 1 AS period_end,
                           ((%(first)s::date + make_interval(months => m + 1))::date + time '09:30')
                               AT TIME ZONE %(tz)s AS recorded_from
                    FROM generate_series(0, {MONTHS_OF_RESULTS - 1}) m
                    OFFSET 0  -- computed once per period, not once per result
                ) p
            ) draws
        ) results
        """,
        {
            "first": clock.first_period,
            "now": clock.now,
            "tz": clock.tz,
            "requires_improvement_note": (
                "Below target: the supplier blames staff absence and has sent a recovery plan."
            ),
            "inadequate_note": "Well below target; raised with the account manager the same week.",
        },
    )


def kpis(cursor: CursorWrapper, *, clock: Clock) -> None:
    """The KPIs, each holding its latest result's period and rating (KpiQuerySet.refresh_latest)."""
    cursor.execute(
        f"""
        INSERT INTO {table(Kpi)} (id, contract_id, name, description, kind, unit, target, direction, tolerance,
            inadequate_threshold, frequency, start_date, end_date, is_published, is_active, created_at,
            latest_period_start, latest_rating)
        SELECT k.id, k.contract_id, (%(names)s::text[])[1 + (k.j + k.contract_id) %% {len(KPI_NAMES)}],
               %(description)s, CASE WHEN k.j = {KPIS_PER_CONTRACT - 1} THEN 'sla' ELSE 'kpi' END, 'percentage',
               k.target / 10.0, 'higher', k.tolerance / 10.0, k.threshold / 10.0, 'monthly', %(first)s, NULL,
               k.j < 3, true, %(now)s, latest.period_start,
               coalesce(CASE WHEN latest.rating_override <> '' THEN latest.rating_override ELSE latest.rating END, '')
        FROM seed_kpi k
        LEFT JOIN {table(KpiResult)} latest ON latest.kpi_id = k.id AND latest.period_start = %(last)s
        """,
        {
            "names": list(KPI_NAMES),
            "description": "Measured from the supplier's monthly MI report and checked against our own records.",
            "first": clock.first_period,
            "last": clock.last_period,
            "now": clock.now,
        },
    )


def meetings(cursor: CursorWrapper, *, clock: Clock) -> None:
    """Face-to-face meetings by each contract's cadence over the three years (a few cancelled or
    postponed) and, where the OCO plans ahead, up to a year ahead; most arranged six months or more
    before, some at short notice with the reason; recent ones more often without minutes yet. A
    quarter of the active contracts also have two virtual check-ins. Then the actions agreed."""
    params: dict[str, Any] = {"first": clock.first_period, "today": clock.today, "now": clock.now, "tz": clock.tz}
    cursor.execute(
        f"""
        INSERT INTO {table(Meeting)} (contract_id, kind, starts_at, duration_minutes, location, arranged_on,
            agenda, status, short_notice_reason, minutes, minutes_file, minutes_file_name, created_by_id,
            created_at)
        SELECT contract_id, 'face_to_face', (day + time '10:00') AT TIME ZONE %(tz)s, 90,
               CASE WHEN r3 < 0.6 THEN 'Force headquarters, meeting room 2' ELSE 'The supplier''s offices' END,
               arranged_on,
               'Contract review: performance against KPIs, risks and issues, continuous improvement, actions.',
               status,
               CASE WHEN day < (arranged_on + interval '6 months')::date
                    THEN 'Arranged at short notice: the previous date was lost to operational demands.'
                    ELSE '' END,
               CASE WHEN status = 'held' AND NOT no_minutes
                    THEN 'Performance reviewed against every KPI. Risks and open actions discussed; '
                         'new actions agreed and owners named.'
                    ELSE '' END,
               '', '', recorder_id, least(%(now)s, (arranged_on + time '09:00') AT TIME ZONE %(tz)s)
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
    )
    cursor.execute(
        f"""
        INSERT INTO {table(Meeting)} (contract_id, kind, starts_at, duration_minutes, location, arranged_on,
            agenda, status, short_notice_reason, minutes, minutes_file, minutes_file_name, created_by_id,
            created_at)
        SELECT contract_id, 'virtual', (day + time '14:00') AT TIME ZONE %(tz)s, 45, 'Microsoft Teams',
               day - 14, 'Monthly check-in on service delivery.', 'held', '',
               'Service delivery on track; no new risks.', '', '', recorder_id,
               ((day - 14) + time '09:00') AT TIME ZONE %(tz)s
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
    )
    # Actions agreed at held meetings with minutes: most done, some overdue, some not yet due.
    cursor.execute(
        f"""
        INSERT INTO {table(Action)} (meeting_id, description, owner_id, due_date, done_on)
        SELECT meeting_id, (%(descriptions)s::text[])[1 + (meeting_id + a) %% 5], recorder_id, due,
               CASE WHEN due < %(today)s - 45 THEN CASE WHEN r < 0.93 THEN due - floor(r * 10)::int END
                    WHEN due < %(today)s THEN CASE WHEN r < 0.5 THEN due - 2 END
                    ELSE CASE WHEN r < 0.2 THEN least(day + 3, %(today)s) END END
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
    params: dict[str, Any] = {"first": clock.first_period, "today": clock.today, "now": clock.now, "tz": clock.tz}
    cursor.execute(
        f"""
        INSERT INTO {table(Activity)} (contract_id, kind, occurred_on, summary, details, attachment,
            attachment_name, recorded_by_id, recorded_at)
        SELECT contract_id, kind, occurred_on, (%(summaries)s::text[])[array_position(%(names)s::text[], kind)],
               '', '', '', recorder_id, least(%(now)s, (occurred_on + time '16:00') AT TIME ZONE %(tz)s)
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
    )
    cursor.execute(
        f"""
        INSERT INTO {table(MiReport)} (contract_id, period_label, period_start, period_end, expected_by,
            received_on, file, file_name, evaluation, issues_found, recorded_by_id, recorded_at)
        SELECT contract_id,
               to_char(period_start, 'FMMonth YYYY') || ' to ' || to_char(period_end, 'FMMonth YYYY'),
               period_start, period_end, expected_by, received_on, '', '',
               CASE WHEN received_on IS NOT NULL AND r3 < 0.7
                    THEN 'Complete and on time; figures agree with our own records.' ELSE '' END,
               CASE WHEN received_on IS NOT NULL AND r3 < 0.12 THEN 'Weekend cover below contract.' ELSE '' END,
               recorder_id,
               least(%(now)s, (coalesce(received_on, period_end + 1) + time '12:00') AT TIME ZONE %(tz)s)
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
    )


def poor_performance_escalations(cursor: CursorWrapper, *, clock: Clock, officers: list[int]) -> None:
    """An escalation and its PoorPerformanceRun for every run of results the app would have escalated
    (performance.services.persistent_poor_performance_check): 3 or more periods in a row rated
    Requires improvement or worse, or 2 Inadequate in a row. A run still going on is open or in
    progress; an earlier one mostly resolved or closed. Escalations are numbered from 1: the table
    is empty, as the register is."""
    cursor.execute(
        f"""
        CREATE TEMP TABLE seed_run ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY first_period_start, kpi_id) AS escalation_id, runs.*
        FROM (
            SELECT kpi_id, min(period_start) AS first_period_start, max(period_start) AS last_period_start,
                   count(*) AS periods, bool_or(rating = 'inadequate') AS any_inadequate
            FROM (
                SELECT kpi_id, period_start, rating, month - row_number() OVER w AS run,
                       rating = 'inadequate' AND lag(rating) OVER w = 'inadequate'
                           AND lag(month) OVER w = month - 1 AS two_inadequate
                FROM (
                    SELECT kpi_id, period_start, rating,
                           (extract(year FROM period_start) * 12 + extract(month FROM period_start))::int AS month
                    FROM {table(KpiResult)}
                    WHERE rating IN ('requires_improvement', 'inadequate')
                ) poor
                WINDOW w AS (PARTITION BY kpi_id ORDER BY month)
            ) marked
            GROUP BY kpi_id, run
            HAVING count(*) >= 3 OR bool_or(two_inadequate)
        ) runs
        """
    )
    cursor.execute(
        f"""
        INSERT INTO {table(Escalation)} (id, contract_id, source, severity, status, title, details,
            raised_by_id, raised_on, owner_id, actions, resolution, supplier_information_id, created_at)
        SELECT escalation_id, contract_id, 'persistent_poor_performance',
               CASE WHEN any_inadequate THEN 'high' ELSE 'medium' END, status,
               'Persistent poor performance: ' || name,
               periods || ' periods in a row rated Requires improvement or worse from '
                   || to_char(first_period_start, 'FMDD Mon YYYY') || '.',
               recorder_id, raised_on,
               CASE WHEN status = 'open' AND r2 < 0.5 THEN NULL
                    ELSE (%(officers)s::bigint[])[1 + floor(r2 * %(officer_count)s)::int] END,
               CASE WHEN status = 'open' THEN ''
                    ELSE 'Performance improvement plan agreed with the supplier; reviewed monthly.' END,
               CASE WHEN status IN ('resolved', 'closed') THEN 'Back on target for three months in a row.'
                    ELSE '' END,
               NULL, least(%(now)s, (raised_on + time '10:00') AT TIME ZONE %(tz)s)
        FROM (
            SELECT r.*, k.contract_id, k.name, sk.recorder_id,
                   least(%(today)s, (r.first_period_start + interval '3 months')::date + 10) AS raised_on,
                   CASE WHEN r.last_period_start = %(last)s
                        THEN CASE WHEN r1 < 0.55 THEN 'open' ELSE 'in_progress' END
                        ELSE CASE WHEN r1 < 0.1 THEN 'open' WHEN r1 < 0.35 THEN 'resolved' ELSE 'closed' END
                   END AS status
            FROM (SELECT seed_run.*, random() AS r1, random() AS r2 FROM seed_run) r
            JOIN {table(Kpi)} k ON k.id = r.kpi_id
            JOIN seed_kpi sk ON sk.id = r.kpi_id
        ) e
        """,
        {
            "officers": officers,
            "officer_count": len(officers),
            "today": clock.today,
            "last": clock.last_period,
            "now": clock.now,
            "tz": clock.tz,
        },
    )
    cursor.execute(
        f"""
        INSERT INTO {table(PoorPerformanceRun)} (kpi_id, first_period_start, escalation_id, created_at)
        SELECT kpi_id, first_period_start, escalation_id, e.created_at
        FROM seed_run JOIN {table(Escalation)} e ON e.id = seed_run.escalation_id
        """
    )


def reset_sequences(cursor: CursorWrapper, models) -> None:
    """After rows inserted with their own ids: the next id comes after the largest."""
    for model in models:
        name = table(model)
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), coalesce(max(id), 0) + 1, false) FROM {name}"
        )
