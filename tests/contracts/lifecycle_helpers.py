"""What the lifecycle page tests build on: a variation, an ending or a saving recorded through the
services, the variation form's data, and a form's refusal next to its field."""

from datetime import date
from decimal import Decimal

from contracts import services
from contracts.models import ContractEnding, Saving, Variation

D = Decimal
TODAY = date(2026, 11, 25)
PINNED = "2026-11-25 10:00 +00:00"  # the clock of the lifecycle page tests (tests/contracts/conftest.py)


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


def make_extendable(contract, *, by):
    """Alice's contract (ends 31 Mar 2028) may run to 31 Mar 2030 with its extensions."""
    contract.extended_end_date = date(2030, 3, 31)
    return services.contract_save(contract=contract, by=by)


def lifecycle_objects(contract, *, alice, sam, priya) -> dict:
    """One of each lifecycle object on the (extendable) contract: a proposed variation (it can be agreed),
    an extension option and a saving, and an ending of another contract of alice's (CON-ENDED)."""
    from contracts.models import ExtensionOption
    from tests import factories

    option = ExtensionOption(contract=contract, length_months=12, decide_by=date(2027, 12, 31))
    option.full_clean()
    services.extension_option_save(option=option, by=priya)
    ended = services.contract_save(
        contract=factories.ContractFactory(reference="CON-ENDED", oco=alice, sro=sam), by=priya
    )
    return {
        "contract": contract,
        "variation": vary(contract, priya, "40000", agreed=None),  # proposed: it can be agreed
        "option": option,
        "saving": save_saving(contract, alice),
        "ending": end(ended, priya, ended_on=date(2026, 11, 1)),
    }
