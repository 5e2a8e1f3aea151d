"""Open escalations by severity and source."""

from datetime import date

from django.db.models import Count, Min, Q, QuerySet

from contracts.models import ContractQuerySet, Escalation
from dashboard.selectors.common import in_scope

# --- Escalations --------------------------------------------------------------------------


def open_escalations(contracts: ContractQuerySet) -> QuerySet[Escalation]:
    return in_scope(Escalation.objects.open(), contracts)


def escalations(contracts: ContractQuerySet, *, today: date | None = None) -> dict:
    """Open escalations by source and severity, how many are overdue (past their respond-by date
    unanswered, on `today`), and the oldest few (two queries)."""
    escalations = open_escalations(contracts)
    overdue = Q(answered_on__isnull=True, respond_by__lt=today) if today else Q(pk__in=[])
    cells = {
        (row["source"], row["severity"]): row
        for row in escalations.order_by()
        .values("source", "severity")
        .annotate(count=Count("pk"), oldest=Min("raised_on"), overdue=Count("pk", filter=overdue))
    }
    severities = list(reversed(Escalation.Severity.choices))  # the most severe first
    rows = []
    for source, label in Escalation.Source.choices:
        counts = [
            (severity, severity_label, cells[(source, severity)]["count"] if (source, severity) in cells else 0)
            for severity, severity_label in severities
        ]
        rows.append({"source": source, "label": label, "cells": counts, "total": sum(c for _, _, c in counts)})
    return {
        "severities": severities,
        "rows": rows,
        "total": sum(row["total"] for row in rows),
        "overdue": sum(cell["overdue"] for cell in cells.values()),
        "oldest": list(escalations.select_related("contract").order_by("raised_on", "pk")[:5]),
    }
