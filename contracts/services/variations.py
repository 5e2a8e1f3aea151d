"""Variations: proposed, assessed against section 75, their change notice published (or an exemption
recorded) and only then agreed, when their value and end date become the contract's."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from contracts.change_notices import Change, assess
from contracts.models import Activity, Contract, Variation
from contracts.services.lifecycle import _notice_published, _save
from contracts.services.timeline import timeline_record
from core.dates import add_months
from core.formatting import long_date, pounds


def _end_before(contract: Contract, variation: Variation, variations: list[Variation]) -> date:
    earlier = [v.new_end_date for v in variations if v.number < variation.number and v.new_end_date is not None]
    if earlier:
        return earlier[-1]
    assert contract.original_end_date is not None  # variation_record sets it before the first variation
    return contract.original_end_date


def maximum_end(contract: Contract) -> date:
    """The last day of the maximum term provided for on award: the latest end date with every
    extension, else the original end date with every extension option's months."""
    if contract.extended_end_date:
        return contract.extended_end_date
    original = contract.original_end_date or contract.end_date
    return add_months(original, sum(o.length_months for o in contract.extension_options.all()))


def _outside_section_75(contract: Contract) -> str:
    return "the contract is light-touch" if contract.under_act else f"the contract is {contract.regime_phrase}"


@transaction.atomic
def variation_record(*, variation: Variation, by: User, made_with=(), documents=()) -> Variation:
    """Record a proposed variation: it takes the next number and the change notice rule is applied.
    Its value and end date reach the contract when it is agreed (`variation_agree`)."""
    contract = Contract.objects.select_for_update().get(pk=variation.contract_id)
    if contract.original_total_value is None or contract.original_end_date is None:
        contract.original_total_value = contract.original_total_value or contract.total_value
        contract.original_end_date = contract.original_end_date or contract.end_date
        _save(contract, by=by, update_fields=["original_total_value", "original_end_date"])
    variation.contract = contract
    variation.number = (contract.variations.aggregate(n=Max("number"))["n"] or 0) + 1
    variation.recorded_by = by
    variation.status, variation.agreed_on = Variation.Status.PROPOSED, None
    _save(variation, by=by)
    variation.made_with.set(made_with)
    variation.documents.set(documents)

    variations = list(contract.variations.order_by("number"))
    together = [variation, *(v for v in variations if v.pk in {m.pk for m in made_with})]
    changes = []
    for v in together:
        end_before = _end_before(contract, v, variations)
        term_days = (v.new_end_date - end_before).days if v.new_end_date else 0
        changes.append(Change(value_change=v.value_change, term_change_days=term_days))
    assert contract.original_total_value is not None
    assessment = assess(
        nature=contract.nature,
        original_value=contract.original_total_value,
        start=contract.start_date,
        maximum_end=maximum_end(contract),
        changes=changes,
    )
    if contract.needs_change_notices:
        variation.change_notice_required = assessment.required
        variation.change_notice_reason = assessment.reason[:255]
    else:
        variation.change_notice_required = False
        variation.change_notice_reason = (
            f"No contract change notice: {_outside_section_75(contract)}, which section 75 does not reach."
        )
    _save(variation, by=by, update_fields=["change_notice_required", "change_notice_reason"])
    timeline_record(
        contract=contract,
        kind=Activity.Kind.VARIATION,
        summary=f"Variation {variation.number} proposed: {_variation_effect(variation)}",
        details=variation.description,
        subject=variation,
        by=by,
    )
    return variation


@transaction.atomic
def variation_agree(*, variation: Variation, on: date, by: User, exemption: str = "") -> Variation:
    """Mark a proposed variation agreed on `on`. Where section 75 asks for a change notice, the
    notice must be recorded as published first, or `exemption` say why none is needed. The
    contract's current value and end date then follow from its original ones and every agreed variation."""
    contract = Contract.objects.select_for_update().get(pk=variation.contract_id)
    variation = Variation.objects.select_for_update().get(pk=variation.pk)
    if variation.is_agreed:
        raise ValidationError({"agreed_on": f"Variation {variation.number} is already agreed."})
    if exemption.strip():
        variation.change_notice_exemption = exemption.strip()
    if not variation.notice_answered:
        raise ValidationError(
            {
                "change_notice_exemption": "Section 75 asks for a contract change notice before the change is made: "
                "record the notice as published first, or say why none is needed."
            }
        )
    if variation.change_notice_published_on and on < variation.change_notice_published_on:
        raise ValidationError(
            {
                "agreed_on": "A variation is agreed after its change notice is published "
                f"({long_date(variation.change_notice_published_on)})."
            }
        )
    variation.contract = contract
    variation.status, variation.agreed_on = Variation.Status.AGREED, on
    variation.full_clean(exclude=["number", "recorded_by", "made_with", "documents", "approved_by"])
    _save(variation, by=by, update_fields=["status", "agreed_on", "change_notice_exemption"])

    agreed = list(contract.variations.filter(status=Variation.Status.AGREED).order_by("number"))
    assert contract.original_total_value is not None and contract.original_end_date is not None
    total = contract.original_total_value + sum((v.value_change for v in agreed), Decimal("0"))
    if total < 0:
        raise ValidationError({"agreed_on": "The agreed variations would make the contract's value negative."})
    with_end = [v.new_end_date for v in agreed if v.new_end_date]
    contract.total_value = total
    contract.end_date = with_end[-1] if with_end else contract.original_end_date
    if contract.extended_end_date and contract.extended_end_date < contract.end_date:
        raise ValidationError({"agreed_on": "The new end date is after the latest date the contract allows."})
    _save(contract, by=by, reason=f"Variation {variation.number}")
    details = variation.description
    if variation.change_notice_required and not variation.change_notice_published_on:
        details += f"\nNo contract change notice: {variation.change_notice_exemption}"
    timeline_record(
        contract=contract,
        kind=Activity.Kind.VARIATION,
        summary=f"Variation {variation.number} agreed: {_variation_effect(variation)}",
        details=details,
        subject=variation,
        by=by,
        occurred_on=min(on, timezone.localdate()),
    )
    return variation


def _variation_effect(variation: Variation) -> str:
    parts = []
    if variation.value_change:
        sign = "+" if variation.value_change > 0 else "−"
        parts.append(f"value {sign}{pounds(abs(variation.value_change))}")
    if variation.new_end_date:
        parts.append(f"new end date {long_date(variation.new_end_date)}")
    if variation.change_notice_required:
        parts.append("change notice required")
    return ", ".join(parts) or "no change in value or term"


@transaction.atomic
def variation_notice_published(*, variation: Variation, on: date, by: User) -> Variation:
    """Record the day a variation's contract change notice was published (again: corrects the day)."""
    before = variation.change_notice_published_on
    variation.change_notice_published_on = on
    _save(variation, by=by, update_fields=["change_notice_published_on"])
    if before != on:
        _notice_published(
            contract=variation.contract,
            notice=f"Contract change notice for variation {variation.number}",
            on=on,
            corrected=before is not None,
            subject=variation,
            by=by,
        )
    return variation
