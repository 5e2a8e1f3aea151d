"""Kraljic pages: assessing a contract, the matrix, the review rounds, the SRO rules."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import User
from contracts import services
from contracts.forms.register import KraljicAssessmentForm
from contracts.models import (
    Category,
    Contract,
    KeySupplier,
    KraljicCriterion,
    KraljicSettings,
    Quadrant,
    ReviewItem,
    ReviewRound,
)
from contracts.models.kraljic import Axis
from contracts.selectors.key_suppliers import key_supplier_candidates
from core import access
from core.params import int_param
from market.selectors import above_upper_quartile


def assess(request, pk: int):
    """Score a contract (the Procurement Unit), within a review round when one is given."""
    contract = access.object_visible(request.user, Contract.objects.select_related("supplier"), pk=pk)
    access.require(request.user, "contracts.assess_kraljic")
    review_round = None
    if request.GET.get("round") or request.POST.get("round"):
        round_pk = int_param(request.GET, "round") or int_param(request.POST, "round")
        review_round = get_object_or_404(ReviewRound.objects.filter(closed_at__isnull=True), pk=round_pk or 0)
    criteria = KraljicCriterion.objects.filter(is_active=True)
    previous = contract.kraljic_assessment
    initial = {s.criterion_id: s.score for s in previous.scores.all()} if previous else {}
    form = KraljicAssessmentForm(request.POST or None, criteria=criteria, initial_scores=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_record(
                contract=contract,
                scores=form.scores,
                rationale=form.cleaned_data["rationale"],
                by=request.user,
                review_round=review_round,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"{contract.reference} assessed: {assessment.get_quadrant_display()} "
                f"(profit impact {assessment.profit_impact}, supply risk {assessment.supply_risk}).",
            )
            if contract.sro_problem:
                messages.warning(request, contract.sro_problem)
            return redirect(review_round.get_absolute_url() if review_round else contract.get_absolute_url())
    return render(
        request,
        "contracts/kraljic_assess.html",
        {
            "contract": contract,
            "form": form,
            "profit_fields": form.axis_fields(Axis.PROFIT_IMPACT),
            "risk_fields": form.axis_fields(Axis.SUPPLY_RISK),
            "previous": previous,
            "review_round": review_round,
            "thresholds": KraljicSettings.current(),
        },
    )


def assessments(request, pk: int):
    """The history of a contract's quadrants."""
    contract = access.object_visible(request.user, Contract, pk=pk)
    history = contract.kraljic_assessments.select_related("assessed_by", "review_round").prefetch_related(
        "scores__criterion"
    )
    return render(
        request,
        "contracts/kraljic_history.html",
        {
            "contract": contract,
            "assessments": history,
            "tab": "details",
            "can_assess": request.user.has_perm("contracts.assess_kraljic"),
        },
    )


# The matrix is drawn in a 400 x 400 box: score 1 at one edge, 5 at the other.
def _position(score: Decimal) -> float:
    return round(float(score - 1) / 4 * 360 + 20, 1)


def matrix(request):
    contracts = (
        Contract.objects.visible_to(request.user)
        .active()
        .filter(kraljic_assessment__isnull=False)
        .select_related("kraljic_assessment", "supplier", "oco", "category")
        .order_by("-annual_value")
    )
    category, oco = request.GET.get("category", ""), request.GET.get("oco", "")
    if (category_pk := int_param(request.GET, "category")) is not None:
        contracts = contracts.filter(category_id=category_pk)
    if (oco_pk := int_param(request.GET, "oco")) is not None:
        contracts = contracts.filter(oco_id=oco_pk)
    contracts = list(contracts)
    thresholds = KraljicSettings.current()
    largest = max((c.annual_value for c in contracts), default=Decimal(1)) or Decimal(1)
    points = [
        {
            "contract": c,
            "x": _position(c.kraljic_assessment.supply_risk),
            "y": 400 - _position(c.kraljic_assessment.profit_impact),
            # Area proportional to annual value, between 4 and 18 pixels of radius.
            "r": round(4 + 14 * float((c.annual_value / largest) ** Decimal("0.5")), 1),
        }
        for c in contracts
    ]
    counts = {q: sum(1 for c in contracts if c.kraljic_quadrant == q) for q in Quadrant.values}
    return render(
        request,
        "contracts/kraljic_matrix.html",
        {
            "points": points,
            "counts": counts,
            "thresholds": thresholds,
            "threshold_x": _position(thresholds.supply_risk_threshold),
            "threshold_y": 400 - _position(thresholds.profit_impact_threshold),
            "right_width": 400 - _position(thresholds.supply_risk_threshold),
            "bottom_height": _position(thresholds.profit_impact_threshold),
            "categories": Category.objects.all(),
            "ocos": User.objects.ocos(),
            "category": category,
            "oco": oco,
            "unassessed": Contract.objects.visible_to(request.user)
            .active()
            .filter(kraljic_assessment__isnull=True)
            .count(),
        },
    )


def review_rounds(request):
    access.require(request.user, "contracts.assess_kraljic")
    today = timezone.localdate()
    rounds = ReviewRound.objects.with_progress().with_overdue(today=today).select_related("closed_by")
    return render(request, "contracts/review_rounds.html", {"rounds": rounds})


def review_round(request, pk: int):
    """The quick review page: previous scores, confirm with one click or rescore."""
    access.require(request.user, "contracts.assess_kraljic")
    review_round = get_object_or_404(
        ReviewRound.objects.with_progress().with_overdue(today=timezone.localdate()), pk=pk
    )
    items = review_round.items.select_related("contract__supplier", "contract__sro", "previous", "assessment").order_by(
        "reviewed_at", "contract__reference"
    )
    show = request.GET.get("show", "to_review")
    if show == "to_review":
        items = items.filter(reviewed_at__isnull=True)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    # Market intelligence for the round: every contract in it (not just this page) priced above the
    # upper quartile of comparable published awards (market.selectors).
    above_market = None
    if request.user.has_perm("market.view_comparison"):
        in_round = Contract.objects.filter(review_items__review_round=review_round).order_by("reference")
        above_market = above_upper_quartile(list(in_round.only(*MARKET_FIELDS)))
    # The policy's key suppliers are reviewed in the same round: each confirmed (or removed), and the
    # suppliers the rule suggests that are not yet designated.
    key_suppliers = list(KeySupplier.objects.select_related("supplier", "lead"))
    return render(
        request,
        "contracts/review_round.html",
        {
            "round": review_round,
            "page_obj": page,
            "items": page.object_list,
            "show": show,
            "above_market": above_market,
            "key_suppliers": key_suppliers,
            "key_suppliers_reviewed": sum(k.review_round_id == review_round.pk for k in key_suppliers),
            "key_supplier_candidates": list(key_supplier_candidates()[:20]),
        },
    )


MARKET_FIELDS = ("reference", "title", "cpv_code", "start_date", "end_date", "annual_value")


@require_POST
def review_confirm(request, pk: int):
    access.require(request.user, "contracts.assess_kraljic")
    item = get_object_or_404(
        ReviewItem.objects.select_related("contract", "previous", "review_round").filter(
            review_round__closed_at__isnull=True
        ),
        pk=pk,
    )
    try:
        services.assessment_confirm(item=item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        assert item.previous is not None  # assessment_confirm refuses an item without one
        messages.success(request, f"{item.contract.reference} confirmed as {item.previous.get_quadrant_display()}.")
    return redirect(item.review_round.get_absolute_url())


@require_POST
def review_confirm_selected(request, pk: int):
    """The review page's bulk action: confirm the ticked contracts' previous assessments, all or none."""
    access.require(request.user, "contracts.assess_kraljic")
    review_round = get_object_or_404(ReviewRound.objects.filter(closed_at__isnull=True), pk=pk)
    ids = [item for item in request.POST.getlist("items") if item.isdigit()]
    items = list(
        review_round.items.select_related("contract", "previous", "review_round")
        .filter(pk__in=ids, reviewed_at__isnull=True, previous__isnull=False)
        .order_by("contract__reference")
    )
    if not items:
        messages.info(request, "Tick the contracts to confirm first.")
        return redirect(review_round.get_absolute_url())
    try:
        services.assessments_confirm(items=items, by=request.user)
    except ValidationError as error:
        messages.error(request, "Nothing was confirmed. " + " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d contract confirmed unchanged: %(references)s.",
                "%(count)d contracts confirmed unchanged: %(references)s.",
                len(items),
            )
            % {"count": len(items), "references": ", ".join(item.contract.reference for item in items)},
        )
    return redirect(review_round.get_absolute_url())


@require_POST
def review_close(request, pk: int):
    access.require(request.user, "contracts.assess_kraljic")
    review_round = get_object_or_404(ReviewRound, pk=pk)
    try:
        services.review_round_close(review_round=review_round, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The {review_round.label} review is closed.")
    return redirect(review_round.get_absolute_url())


def sro_rules(request):
    """Strategic contracts without an SRO, or whose SRO is not a budget holder."""
    access.require(request.user, "contracts.assess_kraljic")
    contracts = Contract.objects.breaking_sro_rules().select_related("sro", "oco", "supplier").order_by("reference")
    return render(request, "contracts/sro_rules.html", {"contracts": contracts})
