"""What the supplier portal's pages read, all through the supplier person's scope (portal.scope)."""

from typing import Any

from django.db.models import Prefetch, Q

from contracts.models import Contract
from meetings.models import Action
from performance.models import CureOutcome, KpiResult, MiReport
from portal import scope
from portal.models import Figure


def home(user: Any) -> dict:
    contracts = scope.contracts(user).order_by("reference")
    due = scope.mi_reports(user).filter(received_on__isnull=True).select_related("contract").order_by("expected_by")
    queried = (
        scope.figures(user)
        .filter(status=Figure.Status.QUERIED)
        .select_related("kpi", "submission__mi_report__contract")
        .order_by("submission__mi_report__expected_by")
    )
    notices = scope.notices(user).select_related("contract").order_by("supplier_respond_by", "pk")
    improvement_notices = (
        scope.improvement_notices(user)
        .filter(outcome=CureOutcome.PENDING)
        .select_related("contract")
        .order_by("supplier_respond_by", "pk")
    )
    return {
        "supplier": scope.supplier_of(user),
        "contracts": contracts,
        "due": due,
        "queried": queried,
        "notices": notices,
        "improvement_notices": improvement_notices,
    }


def contract_page(user: Any, contract: Contract) -> dict:
    results = KpiResult.objects.order_by("-period_start")
    kpis = contract.kpis.filter(is_active=True).prefetch_related(Prefetch("results", queryset=results))
    reports = (
        MiReport.objects.filter(contract=contract).prefetch_related("submissions__figures").order_by("-period_start")
    )
    supplier_people = Q(owner__supplier_contact__supplier=contract.supplier_id)
    meetings = (
        scope.meetings(user)
        .filter(contract=contract)
        .prefetch_related(Prefetch("actions", queryset=Action.objects.filter(supplier_people).select_related("owner")))
        .order_by("-starts_at")
    )
    documents = scope.documents(user).filter(contract=contract).order_by("kind")
    return {
        "contract": contract,
        "kpis": kpis,
        "reports": reports,
        "meetings": meetings,
        "documents": documents,
        "improvement_notices": scope.improvement_notices(user).filter(contract=contract),
    }
