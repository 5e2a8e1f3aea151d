"""Writes about performance, split by subdomain: KPIs and results (kpis.py); the monthly rating
counts (rating_months.py); milestones and MI reports, and the timeline entries of late reports and
missed milestones (tracking.py)."""

from performance.services.kpis import (
    improvement_plan_start,
    improvement_plan_update,
    kpi_reminders_send,
    kpi_result_admin_save,
    kpi_result_delete,
    kpi_result_override,
    kpi_result_record,
    kpi_save,
    persistent_poor_performance_check,
)
from performance.services.rating_months import rating_count_move, rating_months_rebuild
from performance.services.tracking import lateness_record, mi_report_save, milestone_save

__all__ = [
    "improvement_plan_start",
    "improvement_plan_update",
    "kpi_reminders_send",
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
