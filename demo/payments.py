"""Demo invoice payments: a year of monthly invoices from the finance system across the demo contracts,
most paid within 30 days, some late, some disputed (one still in dispute), and two whose order number
matched no contract, left for the Procurement Unit to match. Late payments go on the contracts'
timelines as the import puts them.

Safe to run twice: an invoice is found again by its supplier and number."""

import random
from datetime import date, timedelta
from decimal import Decimal

from accounts.models import User
from contracts.models import Contract
from core.audit import history_user_set
from exchange.models import Invoice
from exchange.services.invoices import late_payment_record

MONTHS = 12


def _days_to_pay(rng: random.Random, late_share: float) -> int:
    if rng.random() < late_share:
        return rng.choice([rng.randint(31, 60), rng.randint(61, 95)])
    return rng.randint(8, 30)


def seed(*, today: date, users: dict[str, User]) -> None:
    by = users["procurement"]
    contracts = list(Contract.objects.select_related("supplier").order_by("reference"))
    for index, contract in enumerate(contracts):
        rng = random.Random(contract.reference)  # noqa: S311  (demo data, the same on every run)
        # One contract in three is paid late often: the late-payment page has something to show.
        late_share = 0.35 if index % 3 == 0 else 0.05
        monthly = (contract.annual_value / 12).quantize(Decimal("0.01")) if contract.annual_value else Decimal("950")
        for month in range(MONTHS, 0, -1):
            received = today - timedelta(days=30 * month + rng.randint(0, 10))
            if received < contract.start_date:
                continue
            number = f"{contract.reference.replace('CON-', 'INV-')}-{MONTHS - month + 1:02d}"
            if Invoice.objects.filter(supplier=contract.supplier, invoice_number=number).exists():
                continue
            disputed = rng.random() < 0.08
            resolved = received + timedelta(days=rng.randint(10, 40)) if disputed else None
            if disputed and month == 1:
                resolved = None  # still in dispute
            start = resolved or received
            paid = start + timedelta(days=_days_to_pay(rng, late_share))
            unmatched = index == 1 and month in (4, 7)  # keyed wrongly in the finance system
            invoice = Invoice(
                invoice_number=number,
                supplier=contract.supplier,
                contract=None if unmatched else contract,
                order_reference=f"PO-{rng.randint(40000, 49999)}"
                if unmatched
                else (contract.finance_reference or contract.reference),
                received_on=received,
                valid_from=received,
                paid_on=paid if paid <= today and not (disputed and resolved is None) else None,
                amount=monthly,
                disputed=disputed,
                dispute_resolved_on=resolved,
            )
            history_user_set(invoice, by)
            invoice.save()
            late_payment_record(invoice=invoice, by=by)


def counts() -> dict[str, int]:
    return {"invoices": Invoice.objects.count()}
