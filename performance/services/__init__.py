"""Writes about performance, split by subdomain: KPIs and results (kpis.py); each contract's KPIs by
latest rating (kpi_ratings.py); the monthly rating counts (rating_months.py); milestones and MI
reports, and the timeline entries of late reports and missed milestones (tracking.py); improvement
notices, service credits and breaches (remedies.py)."""

from performance.services.kpi_ratings import kpi_ratings_rebuild, kpi_ratings_refresh
from performance.services.kpis import (
    improvement_plan_start,
    improvement_plan_update,
    kpi_delete,
    kpi_reminders_send,
    kpi_result_admin_save,
    kpi_result_delete,
    kpi_result_override,
    kpi_result_record,
    kpi_save,
    persistent_poor_performance_check,
)
from performance.services.rating_months import rating_count_move, rating_months_rebuild
from performance.services.remedies import (
    breach_decide,
    breach_record,
    improvement_notice_decide,
    improvement_notice_issue,
    remedy_notice_published,
    service_credit_record,
)
from performance.services.tracking import lateness_record, mi_report_save, milestone_save

__all__ = [
    "breach_decide",
    "breach_record",
    "improvement_notice_decide",
    "improvement_notice_issue",
    "remedy_notice_published",
    "service_credit_record",
    "improvement_plan_start",
    "improvement_plan_update",
    "kpi_reminders_send",
    "kpi_delete",
    "kpi_ratings_rebuild",
    "kpi_ratings_refresh",
    "kpi_result_admin_save",
    "kpi_result_delete",
    "kpi_result_override",
    "kpi_result_record",
    "kpi_save",
    "lateness_record",
    "mi_report_save",
    "milestone_save",
    "persistent_poor_performance_check",
    "rating_count_move",
    "rating_months_rebuild",
]
