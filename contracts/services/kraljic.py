"""Kraljic assessments and the six-monthly review rounds."""

import calendar
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import ngettext

from accounts import roles
from accounts.models import User
from contracts.models import Activity, Contract, KraljicAssessment, KraljicCriterion, KraljicScore, ReviewItem
from contracts.models.kraljic import Axis, KraljicSettings, Quadrant, ReviewRound
from contracts.services.timeline import timeline_record
from core.audit import history_user_set
from core.formatting import long_date
from notifications.models import Kind
from notifications.services import JobProgress, notify, remind, tasks_resolve, tasks_resolve_answered

TWO_PLACES = Decimal("0.01")
# The reminders a review round sends the Procurement Unit: done when every item is reviewed, or closed.
ROUND_TASKS = (Kind.REVIEW_ROUND_OPENED, Kind.REVIEW_ROUND_DUE, Kind.REVIEW_ROUND_OVERDUE)


def weighted_score(scores: list[tuple[Decimal, int]]) -> Decimal:
    """The weighted mean of (weight, score) pairs, to two places."""
    total_weight = sum(weight for weight, _ in scores)
    if not total_weight:
        raise ValidationError("An axis has no active criteria with a weight.")
    mean = sum(weight * score for weight, score in scores) / total_weight
    return mean.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _procurement_officers():
    return User.objects.in_role(roles.PROCUREMENT)


def _notify_if_strategic_without_sro(contract: Contract, *, previous_quadrant: str) -> None:
    if previous_quadrant == Quadrant.STRATEGIC or contract.kraljic_quadrant != Quadrant.STRATEGIC:
        return
    problem = contract.sro_problem
    if not problem:
        return
    for officer in _procurement_officers():
        notify(
            recipient=officer,
            kind=Kind.STRATEGIC_WITHOUT_SRO,
            title=f"{contract.reference} is now strategic: {problem}",
            body=f"{contract.reference} {contract.title}. {problem} Name an SRO, ideally the budget holder.",
            url=contract.get_absolute_url(),
            subject=contract,
        )


def _apply(
    *,
    contract: Contract,
    pairs: Mapping[KraljicCriterion, tuple[int, Decimal]],
    rationale: str,
    by: User,
    review_round: ReviewRound | None,
    confirms: KraljicAssessment | None = None,
    on: date | None = None,
) -> KraljicAssessment:
    thresholds = KraljicSettings.current()
    by_axis = {axis: [(weight, score) for c, (score, weight) in pairs.items() if c.axis == axis] for axis in Axis}
    profit_impact = weighted_score(by_axis[Axis.PROFIT_IMPACT])
    supply_risk = weighted_score(by_axis[Axis.SUPPLY_RISK])
    assessment = KraljicAssessment(
        contract=contract,
        profit_impact=profit_impact,
        supply_risk=supply_risk,
        quadrant=thresholds.quadrant(profit_impact=profit_impact, supply_risk=supply_risk),
        rationale=rationale,
        assessed_by=by,
        assessed_on=on or timezone.localdate(),
        review_round=review_round,
        confirms=confirms,
    )
    history_user_set(assessment, by)
    assessment.save()
    KraljicScore.objects.bulk_create(
        KraljicScore(assessment=assessment, criterion=criterion, score=score, weight=weight)
        for criterion, (score, weight) in pairs.items()
    )
    previous_quadrant = contract.kraljic_quadrant
    contract.kraljic_quadrant = assessment.quadrant
    contract.kraljic_assessment = assessment
    history_user_set(contract, by)
    contract.save(update_fields=["kraljic_quadrant", "kraljic_assessment", "updated_at"])
    if review_round is not None:
        ReviewItem.objects.filter(review_round=review_round, contract=contract).update(
            assessment=assessment, reviewed_at=timezone.now()
        )
        if not review_round.items.filter(reviewed_at__isnull=True).exists():
            tasks_resolve(subject=review_round, kinds=ROUND_TASKS)  # the round's last item is reviewed
    if not contract.sro_problem:
        tasks_resolve(subject=contract, kinds=[Kind.STRATEGIC_WITHOUT_SRO])
    _notify_if_strategic_without_sro(contract, previous_quadrant=previous_quadrant)
    timeline_record(
        contract=contract,
        kind=Activity.Kind.KRALJIC,
        summary=_reassessment_summary(assessment, previous_quadrant=previous_quadrant),
        details=rationale,
        subject=assessment,
        by=by,
        occurred_on=min(assessment.assessed_on, timezone.localdate()),
    )
    return assessment


def _reassessment_summary(assessment: KraljicAssessment, *, previous_quadrant: str) -> str:
    quadrant = assessment.get_quadrant_display()
    where = f" in the {assessment.review_round.label} review" if assessment.review_round is not None else ""
    if assessment.confirms is not None:
        return f"Kraljic assessment confirmed{where}: {quadrant}"
    if not previous_quadrant:
        return f"Kraljic assessment{where}: {quadrant}"
    if previous_quadrant == assessment.quadrant:
        return f"Kraljic reassessment{where}: still {quadrant}"
    return f"Kraljic reassessment{where}: {Quadrant(previous_quadrant).label} → {quadrant}"


@transaction.atomic
def assessment_record(
    *,
    contract: Contract,
    scores: Mapping[int, int],
    rationale: str,
    by: User,
    review_round: ReviewRound | None = None,
    on: date | None = None,
) -> KraljicAssessment:
    """Score a contract 1 to 5 on every active criterion; its quadrant follows from the weighted scores.

    `on` dates the assessment (today by default), for assessments recorded after the event."""
    criteria = list(KraljicCriterion.objects.filter(is_active=True))
    missing = [c.name for c in criteria if c.pk not in scores]
    if missing:
        raise ValidationError(f"Score every criterion: {', '.join(missing)} not scored.")
    bad = [c.name for c in criteria if not 1 <= int(scores[c.pk]) <= 5]
    if bad:
        raise ValidationError(f"Scores run from 1 to 5: {', '.join(bad)}.")
    pairs = {c: (int(scores[c.pk]), c.weight) for c in criteria}
    return _apply(contract=contract, pairs=pairs, rationale=rationale, by=by, review_round=review_round, on=on)


@transaction.atomic
def assessment_confirm(*, item: ReviewItem, by: User) -> KraljicAssessment:
    """Confirm a contract's previous assessment unchanged in a review round (same scores, current weights)."""
    previous = item.previous
    if previous is None:
        raise ValidationError(f"{item.contract.reference} has never been assessed: score it instead.")
    scores = {s.criterion: s.score for s in previous.scores.select_related("criterion")}
    criteria = list(KraljicCriterion.objects.filter(is_active=True))
    if any(c not in scores for c in criteria):
        raise ValidationError("The criteria have changed since the last assessment: score it instead.")
    pairs = {c: (scores[c], c.weight) for c in criteria}
    return _apply(
        contract=item.contract,
        pairs=pairs,
        rationale=f"Confirmed in the {item.review_round.label} review.",
        by=by,
        review_round=item.review_round,
        confirms=previous,
    )


@transaction.atomic
def assessments_confirm(*, items: Sequence[ReviewItem], by: User) -> list[KraljicAssessment]:
    """Confirm several contracts' previous assessments at once (the review page's bulk action): all
    or none, each one that cannot be confirmed named."""
    confirmed, problems = [], []
    for item in items:
        try:
            with transaction.atomic():
                confirmed.append(assessment_confirm(item=item, by=by))
        except ValidationError as error:
            problems.append(f"{item.contract.reference}: {' '.join(error.messages)}")
    if problems:
        raise ValidationError(problems)
    return confirmed


def round_due_date(year: int, half: int) -> date:
    """The end of the round's second month: February or August."""
    month = 2 if half == 1 else 8
    return date(year, month, calendar.monthrange(year, month)[1])


def review_round_open(*, today: date, progress: JobProgress | None = None) -> tuple[ReviewRound, bool]:
    """Open the round of today's half-year, once: it lists every active contract and tells the
    Procurement Unit. Run twice, late, or by two workers at once, there is still one round."""
    progress = progress or JobProgress()
    year, half = ReviewRound.half_of(today)
    try:
        with transaction.atomic():
            review_round = ReviewRound.objects.create(
                year=year, half=half, opened_at=timezone.now(), due_date=round_due_date(year, half)
            )
            # One INSERT for every active contract, whatever their number.
            ReviewItem.objects.bulk_create(
                ReviewItem(review_round=review_round, contract_id=pk, previous_id=assessment_id)
                for pk, assessment_id in Contract.objects.active().values_list("pk", "kraljic_assessment_id")
            )
    except IntegrityError:
        return ReviewRound.objects.get(year=year, half=half), False
    count = review_round.items.count()
    for officer in _procurement_officers():
        progress.count(
            remind(
                recipient=officer,
                kind=Kind.REVIEW_ROUND_OPENED,
                subject=review_round,
                due_date=review_round.due_date,
                due_on=review_round.due_date,
                title=f"The {review_round.label} Kraljic review is open: "
                + ngettext("%(count)d contract to review", "%(count)d contracts to review", count) % {"count": count},
                body=f"Confirm or rescore each active contract by {long_date(review_round.due_date)}.",
                url=review_round.get_absolute_url(),
            )
        )
    return review_round, True


def review_round_reminders_send(*, today: date, progress: JobProgress | None = None) -> int:
    """Remind the Procurement Unit 14 days and 1 day before an open round's due date, and once it is overdue."""
    progress = progress or JobProgress()
    unreviewed = ReviewItem.objects.filter(review_round=OuterRef("pk"), reviewed_at__isnull=True)
    done = ReviewRound.objects.filter(Q(closed_at__isnull=False) | ~Exists(unreviewed)).values("pk")
    tasks_resolve_answered(model=ReviewRound, kinds=ROUND_TASKS, answered=Q(subject_id__in=done))
    officers = list(_procurement_officers())
    rounds = ReviewRound.objects.filter(closed_at__isnull=True).with_progress().with_overdue(today=today)
    for review_round in rounds:
        due = review_round.due_date
        remaining = review_round.total - review_round.reviewed
        if not remaining:
            continue  # complete, if not yet closed: no false alarm
        days_left = (due - today).days
        if review_round.overdue:
            kind, key, title = Kind.REVIEW_ROUND_OVERDUE, due, f"The {review_round.label} Kraljic review is overdue"
        elif days_left <= 1:
            kind, key, title = Kind.REVIEW_ROUND_DUE, due, f"The {review_round.label} Kraljic review is due tomorrow"
        elif days_left <= 14:
            kind, key = Kind.REVIEW_ROUND_DUE, date.fromordinal(due.toordinal() - 14)
            title = f"The {review_round.label} Kraljic review is due in {days_left} days"  # days_left > 1 here
        else:
            continue
        for officer in officers:
            progress.count(
                remind(
                    recipient=officer,
                    kind=kind,
                    subject=review_round,
                    due_date=key,
                    due_on=review_round.due_date,
                    title=title,
                    body=ngettext(
                        "%(count)d contract still to review", "%(count)d contracts still to review", remaining
                    )
                    % {"count": remaining}
                    + f"; due {long_date(due)}.",
                    url=review_round.get_absolute_url(),
                )
            )
    return progress.sent


@transaction.atomic
def review_round_close(*, review_round: ReviewRound, by: User) -> ReviewRound:
    """Close a round, recording who closed it and which contracts changed quadrant."""
    review_round = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    if review_round.closed_at is not None:
        raise ValidationError("This review round is already closed.")
    items = review_round.items.select_related("contract", "previous", "assessment").filter(assessment__isnull=False)
    changes = [
        f"{item.contract.reference}: {_label(item.previous)} → {item.assessment.get_quadrant_display()}"
        for item in items
        if item.assessment is not None and (item.previous is None or item.previous.quadrant != item.assessment.quadrant)
    ]
    not_reviewed = review_round.items.filter(assessment__isnull=True).count()
    lines = [f"{len(changes)} contract(s) changed quadrant."] + changes
    if not_reviewed:
        lines.append(f"{not_reviewed} contract(s) were not reviewed.")
    review_round.summary = "\n".join(lines)
    review_round.closed_at = timezone.now()
    review_round.closed_by = by
    history_user_set(review_round, by)
    review_round.save()
    tasks_resolve(subject=review_round, kinds=ROUND_TASKS)
    return review_round


def _label(assessment: KraljicAssessment | None) -> str:
    return assessment.get_quadrant_display() if assessment else "not assessed"
