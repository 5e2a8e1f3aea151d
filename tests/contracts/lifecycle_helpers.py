"""What the lifecycle page tests build on: a variation, an ending or a saving recorded through the
services, the variation form's data, and a form's refusal next to its field."""

from datetime import date
from decimal import Decimal

from contracts import services
from contracts.models import ContractEnding, Saving, Variation

D = Decimal
TODAY = date(2026, 11, 25)


def vary(contract, by, value="1000", new_end=None, agreed: date | None = date(2026, 5, 1)) -> Variation:
    variation = Variation(
        contract=contract,
        agreed_on=agreed,
        description="Two more sites",
        reason="New custody suite",
        value_change=D(value),
        new_end_date=new_end,
        approved_by=by,
    )
    variation.full_clean(exclude=["number", "recorded_by"])
    variation = services.variation_record(variation=variation, by=by)
    if agreed is None:
        return variation  # proposed
    if variation.change_notice_required:  # the notice first, then the agreement
        services.variation_notice_published(variation=variation, on=agreed, by=by)
    return services.variation_agree(variation=variation, on=agreed, by=by)


def end(contract, by, *, ended_on, kind="expired") -> ContractEnding:
    ending = ContractEnding(contract=contract, kind=kind, ended_on=ended_on, reason="No longer needed")
    ending.full_clean(exclude=["recorded_by"])
    return services.contract_end(ending=ending, by=by)


def save_saving(contract, by, amount="2500", achieved_on=date(2026, 6, 1), **fields) -> Saving:
    saving = Saving(
        contract=contract,
        kind=fields.pop("kind", Saving.Kind.CASH_RELEASING),
        amount=D(amount),
        achieved_on=achieved_on,
        description=fields.pop("description", "Rate reduction at renewal"),
        **fields,
    )
    return services.saving_record(saving=saving, by=by)


def variation_data(approved_by, **overrides) -> dict:
    data = {
        "description": "Twelve more body-worn cameras",
        "reason": "New response team",
        "value_change": "36000",
        "new_end_date": "",
        "approved_by": approved_by.pk,
    }
    data.update(overrides)
    return data


def field_error(response, field: str, message: str) -> None:
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    page = response.content.decode()
    assert f'id="error_1_id_{field}"' in page  # crispy's invalid-feedback under the field
    assert "Nothing has been saved" in page
