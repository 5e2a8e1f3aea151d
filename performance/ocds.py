"""Performance milestones as OCDS implementation milestones, for the register's OCDS export.

contracts may not import performance, so the export view receives `milestones_by_contract` by
its dotted path from config/urls.py (the one place that wires the apps together).
"""

from collections import defaultdict

from performance.models import Milestone

# Milestone.Status -> the closed OCDS milestoneStatus codelist.
STATUS: dict[str, str] = {
    Milestone.Status.SCHEDULED: "scheduled",
    Milestone.Status.MET: "met",
    Milestone.Status.NOT_MET: "notMet",
    Milestone.Status.PARTIALLY_MET: "partiallyMet",
}


def milestones_by_contract(contract_ids, *, as_datetime) -> dict[int, list[dict]]:
    """OCDS milestone objects keyed by contract id, in one query."""
    result: dict[int, list[dict]] = defaultdict(list)
    for milestone in Milestone.objects.filter(contract_id__in=contract_ids).order_by("contract_id", "due_date", "pk"):
        item = {
            "id": str(milestone.pk),
            "title": milestone.title,
            "type": "delivery",
            "dueDate": as_datetime(milestone.due_date),
            "status": STATUS.get(milestone.status, "scheduled"),
        }
        if milestone.notes:
            item["description"] = milestone.notes
        if milestone.met_on:
            item["dateMet"] = as_datetime(milestone.met_on)
        result[milestone.contract_id].append(item)
    return dict(result)
