"""KPIs, their results and the escalations of persistent poor performance, filled server-side with
INSERT ... SELECT over generate_series.

Each function reads the per-contract decisions from the temporary table `seed_contract` (see
demo/scale/contracts.py) and draws the noise of each row with random(), which setseed() makes
repeatable. The draws are made in the innermost query, once per row; outer queries only compute.
Each SELECT names the columns it computes; demo.scale.rows fills the rest from the model.
"""

# ruff: noqa: S608 - the SQL is built from model table names and this module's constants, never from input.

from django.db.backends.utils import CursorWrapper

from contracts.models import Escalation
from demo.scale.data import GOOD, KPI_NAMES, KPI_TARGETS, KPIS_PER_CONTRACT, MONTHS_OF_RESULTS, POOR, Clock
from demo.scale.rows import insert_select, table
from performance.models import Kpi, KpiResult, PoorPerformanceRun


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
    insert_select(
        cursor,
        KpiResult,
        f"""
        SELECT kpi_id, period_start, period_end, tenths / 10.0 AS actual,
               CASE WHEN tenths >= target - tolerance THEN ''
                    WHEN tenths < threshold THEN %(inadequate_note)s ELSE %(requires_improvement_note)s END
                   AS commentary,
               CASE WHEN tenths >= target THEN 'good' WHEN tenths >= target - tolerance THEN 'approaching'
                    WHEN tenths < threshold THEN 'inadequate' ELSE 'requires_improvement' END AS rating,
               recorder_id AS recorded_by_id, recorded_at, recorded_at AS updated_at
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
        now=clock.now,
    )


def kpis(cursor: CursorWrapper, *, clock: Clock) -> None:
    """The KPIs, each holding its latest result's period and rating (KpiQuerySet.refresh_latest)."""
    insert_select(
        cursor,
        Kpi,
        f"""
        SELECT k.id, k.contract_id, (%(names)s::text[])[1 + (k.j + k.contract_id) %% {len(KPI_NAMES)}] AS name,
               %(description)s AS description,
               CASE WHEN k.j = {KPIS_PER_CONTRACT - 1} THEN 'sla' ELSE 'kpi' END AS kind, 'percentage' AS unit,
               k.target / 10.0 AS target, 'higher' AS direction, k.tolerance / 10.0 AS tolerance,
               k.threshold / 10.0 AS inadequate_threshold, 'monthly' AS frequency, %(first)s::date AS start_date,
               k.j < 3 AS is_published, true AS is_active, %(now)s AS created_at,
               latest.period_start AS latest_period_start,
               coalesce(CASE WHEN latest.rating_override <> '' THEN latest.rating_override ELSE latest.rating END, '')
                   AS latest_rating
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
        now=clock.now,
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
    insert_select(
        cursor,
        Escalation,
        f"""
        SELECT escalation_id AS id, contract_id, 'persistent_poor_performance' AS source,
               CASE WHEN any_inadequate THEN 'high' ELSE 'medium' END AS severity, status,
               'Persistent poor performance: ' || name AS title,
               periods || ' periods in a row rated Requires improvement or worse from '
                   || to_char(first_period_start, 'FMDD Mon YYYY') || '.' AS details,
               recorder_id AS raised_by_id, raised_on,
               CASE WHEN status = 'open' AND r2 < 0.5 THEN NULL
                    ELSE (%(officers)s::bigint[])[1 + floor(r2 * %(officer_count)s)::int] END AS owner_id,
               CASE WHEN status = 'open' THEN ''
                    ELSE 'Performance improvement plan agreed with the supplier; reviewed monthly.' END AS actions,
               CASE WHEN status IN ('resolved', 'closed') THEN 'Back on target for three months in a row.'
                    ELSE '' END AS resolution,
               least(%(now)s, (raised_on + time '10:00') AT TIME ZONE %(tz)s) AS created_at
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
        now=clock.now,
    )
    insert_select(
        cursor,
        PoorPerformanceRun,
        f"""
        SELECT kpi_id, first_period_start, escalation_id, e.created_at
        FROM seed_run JOIN {table(Escalation)} e ON e.id = seed_run.escalation_id
        """,
        now=clock.now,
    )
