"""Performance's models, split by subdomain: KPIs, results, milestones, MI reports, notices and
improvement plans (kpis.py); improvement notices, service credits and breaches (remedies.py)."""

from performance.models.kpis import (
    ImprovementPlan,
    Kpi,
    KpiQuerySet,
    KpiResult,
    Milestone,
    MiReport,
    PerformanceNotice,
    PoorPerformanceRun,
    RatingMonth,
    evidence_upload_to,
    mi_upload_to,
)
from performance.models.remedies import (
    Breach,
    BreachOutcome,
    CureOutcome,
    ImprovementNotice,
    ImprovementNoticeReply,
    ServiceCredit,
    breach_needs_notice,
    failure_needs_notice,
    section72_due_by,
)

__all__ = [
    "Breach",
    "BreachOutcome",
    "CureOutcome",
    "ImprovementNotice",
    "ImprovementNoticeReply",
    "ImprovementPlan",
    "Kpi",
    "KpiQuerySet",
    "KpiResult",
    "MiReport",
    "Milestone",
    "PerformanceNotice",
    "PoorPerformanceRun",
    "RatingMonth",
    "ServiceCredit",
    "breach_needs_notice",
    "evidence_upload_to",
    "failure_needs_notice",
    "mi_upload_to",
    "section72_due_by",
]
