"""Performance's models, split by subdomain: KPIs, their results and rating counts (kpis.py); milestones
and MI reports (tracking.py); performance notices (notices.py); improvement plans (plans.py); improvement
notices, service credits and breaches (remedies.py)."""

from performance.models.kpis import (
    Kpi,
    KpiQuerySet,
    KpiRatings,
    KpiResult,
    PoorPerformanceRun,
    RatingMonth,
    evidence_upload_to,
)
from performance.models.notices import PerformanceNotice
from performance.models.plans import ImprovementPlan
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
from performance.models.tracking import Milestone, MiReport, mi_upload_to

__all__ = [
    "Breach",
    "BreachOutcome",
    "CureOutcome",
    "ImprovementNotice",
    "ImprovementNoticeReply",
    "ImprovementPlan",
    "Kpi",
    "KpiQuerySet",
    "KpiRatings",
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
