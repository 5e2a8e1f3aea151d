"""Governance: SRO rules, contracts without an OCO, OCO training, the Kraljic review's progress."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Expression, Q, QuerySet

from accounts.models import TrainingRecord, User
from contracts.models import ContractQuerySet, Quadrant, ReviewItem, ReviewRound
from contracts.models.querysets import SRO_MISSING, SRO_UNFIT
from dashboard.selectors.common import ContractGroups, active_figures, in_scope

# --- Governance ---------------------------------------------------------------------------


def strategic_without_sro(contracts: ContractQuerySet) -> ContractQuerySet:
    return contracts.without_sro()


def sro_not_budget_holder(contracts: ContractQuerySet) -> ContractQuerySet:
    return contracts.with_unfit_sro()


def without_oco(contracts: ContractQuerySet) -> ContractQuerySet:
    return contracts.active().filter(oco__isnull=True)


def ocos_without_training(contracts: ContractQuerySet, *, today: date) -> QuerySet[User]:
    """OCOs named on the active contracts without current commercial-awareness training."""
    return User.objects.filter(pk__in=contracts.active().values("oco")).without_current_training(on=today)


@dataclass
class ReviewProgress:
    review_round: ReviewRound | None
    items: int = 0
    reviewed: int = 0
    overdue: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.reviewed / self.items) if self.items else 0


def review_progress(contracts: ContractQuerySet, *, today: date) -> ReviewProgress:
    """The latest round's progress over the contracts in scope; overdue as ReviewRound's rule says."""
    review_round = ReviewRound.objects.with_overdue(today=today).order_by("-year", "-half").first()
    if review_round is None:
        return ReviewProgress(review_round=None)
    figures = in_scope(ReviewItem.objects.filter(review_round=review_round), contracts).aggregate(
        items=Count("pk"), reviewed=Count("pk", filter=Q(assessment__isnull=False))
    )
    return ReviewProgress(review_round=review_round, overdue=review_round.overdue, **figures)


def governance_aggregates() -> dict[str, Expression]:
    """The SRO rules of strategic contracts (SRO_MISSING, SRO_UNFIT) and contracts without an OCO."""
    return {
        "strategic_without_sro": Count("pk", filter=Q(kraljic_quadrant=Quadrant.STRATEGIC) & SRO_MISSING),
        "sro_not_budget_holder": Count("pk", filter=Q(kraljic_quadrant=Quadrant.STRATEGIC) & SRO_UNFIT),
        "without_oco": Count("pk", filter=Q(oco__isnull=True)),
    }


def governance(contracts: ContractQuerySet, *, today: date, groups: ContractGroups | None = None) -> dict:
    """The active contracts' governance_aggregates (one pass over the contracts, `groups` when the
    dashboard has made it with the other panels' figures), OCO training and the review's progress."""
    figures = groups.figures if groups else active_figures(contracts, governance_aggregates())
    counts: dict = {name: figures[name] for name in governance_aggregates()}
    training_kept = TrainingRecord.objects.exists()
    counts["training_kept"] = training_kept
    counts["ocos_without_training"] = ocos_without_training(contracts, today=today).count() if training_kept else 0
    counts["review"] = review_progress(contracts, today=today)
    return counts
