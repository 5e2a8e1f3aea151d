"""The import of invoice payments from the finance system's (Agresso's) export, the worker side.

Each row is checked first and each bad one named by line and column; the import is all-or-nothing.
An invoice is found again by supplier and invoice number, so a re-import of the same file changes
nothing; history names the importing user. Each row's contract or order reference is matched to a
contract's reference or Agresso order number (`finance_reference`); rows with no match are left for the
Procurement Unit to match (exchange.services.invoices.invoice_match). An invoice of a contract paid
late goes on the contract's timeline once.
"""

from decimal import Decimal
from typing import Any

import tablib
from django.db import transaction
from django.db.models import Q

from accounts.models import User
from contracts.models import Contract
from core.audit import history_user_set
from exchange.models import Invoice
from exchange.resources import DateWidget, PoundsWidget, _text
from exchange.services.invoices import late_payment_record
from suppliers.models import Supplier

INVOICE_COLUMNS = (
    "invoice_number",
    "supplier",
    "order_reference",
    "received_on",
    "valid_from",
    "paid_on",
    "amount",
    "disputed",
    "dispute_resolved_on",
)
INVOICE_REQUIRED_COLUMNS = ("invoice_number", "supplier", "received_on", "amount")
INVOICE_EXAMPLE_ROW = (
    "INV-10231",
    "Example Healthcare Limited",
    "AG-2026-001",
    "02/05/2026",
    "",
    "28/05/2026",
    "£12,400.00",
    "no",
    "",
)
FIELDS = ("order_reference", "received_on", "valid_from", "paid_on", "amount", "disputed", "dispute_resolved_on")
MAX_AMOUNT = Decimal("999999999999.99")
YES, NO = {"yes", "y", "true", "1", "disputed"}, {"", "no", "n", "false", "0"}

_required_date, _optional_date, _pounds = DateWidget(required=True), DateWidget(required=False), PoundsWidget()


def header_errors(headers: list[str]) -> list[dict[str, Any]]:
    errors = [
        {"line": 1, "column": column, "message": "This column is missing: download the template for the headers."}
        for column in INVOICE_REQUIRED_COLUMNS
        if column not in headers
    ]
    errors += [
        {"line": 1, "column": header, "message": "This column is not one of the template's."}
        for header in headers
        if header and header not in INVOICE_COLUMNS
    ]
    return errors


def _clean(row: dict[str, Any], suppliers: dict[str, list[Supplier]]) -> tuple[dict[str, Any], dict[str, str]]:
    """The row's values and its errors by column."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    number = _text(row.get("invoice_number"))
    if not number:
        errors["invoice_number"] = "Give the invoice number."
    elif len(number) > 50:
        errors["invoice_number"] = "An invoice number is 50 characters at most."
    values["invoice_number"] = number
    name = _text(row.get("supplier"))
    found = suppliers.get(name.casefold(), [])
    if not name:
        errors["supplier"] = "Give the supplier's name."
    elif not found:
        errors["supplier"] = f"No supplier called “{name}” is in the register: add it first."
    elif len(found) > 1:
        errors["supplier"] = f"{len(found)} suppliers are called “{name}”: tell them apart in the register first."
    else:
        values["supplier"] = found[0]
    reference = _text(row.get("order_reference"))
    if len(reference) > 50:
        errors["order_reference"] = "A reference is 50 characters at most."
    values["order_reference"] = reference
    for column, widget in (
        ("received_on", _required_date),
        ("valid_from", _optional_date),
        ("paid_on", _optional_date),
        ("dispute_resolved_on", _optional_date),
        ("amount", _pounds),
    ):
        try:
            values[column] = widget.clean(row.get(column))
        except ValueError as error:
            errors[column] = str(error)
    if "amount" in values and abs(values["amount"]) > MAX_AMOUNT:
        errors["amount"] = "The amount is too large."
    disputed = _text(row.get("disputed")).casefold()
    if disputed not in YES | NO:
        errors["disputed"] = f"“{_text(row.get('disputed'))}”: write yes or no."
    values["disputed"] = disputed in YES
    received = values.get("received_on")
    if received and not values.get("valid_from"):
        values["valid_from"] = received
    for column in ("paid_on", "valid_from"):
        if received and values.get(column) and values[column] < received and column not in errors:
            errors[column] = "This date is before the invoice was received."
    if values.get("dispute_resolved_on") and not values["disputed"] and "disputed" not in errors:
        errors["dispute_resolved_on"] = "A dispute resolved date is given but the invoice is not marked disputed."
    return values, errors


def _contracts_by_reference(references: set[str]) -> dict[str, Contract]:
    """Contract reference or Agresso order number, case-insensitive; a reference two contracts share matches none."""
    found: dict[str, list[Contract]] = {}
    wanted = {r.casefold() for r in references if r}
    if not wanted:
        return {}
    query = Q()
    for reference in references:
        if reference:
            query |= Q(reference__iexact=reference) | Q(finance_reference__iexact=reference)
    for contract in Contract.objects.filter(query).only("pk", "reference", "finance_reference", "supplier_id"):
        keys = {contract.reference.casefold(), contract.finance_reference.casefold()} & wanted
        for key in keys:
            found.setdefault(key, []).append(contract)
    return {key: contracts[0] for key, contracts in found.items() if len(contracts) == 1}


def invoices_import(*, dataset: tablib.Dataset, lines: list[int], by: User, dry_run: bool) -> dict[str, Any]:
    """Check every row, then (unless it is a preview or a row is bad) save them all in one transaction.
    Returns the errors and, for each row, its line, invoice and action (new, update or skip)."""
    suppliers: dict[str, list[Supplier]] = {}
    for supplier in Supplier.objects.only("pk", "name"):
        suppliers.setdefault(supplier.name.casefold(), []).append(supplier)
    headers = list(dataset.headers or [])
    cleaned, errors = [], []
    seen: dict[tuple[int, str], int] = {}
    for line, raw in zip(lines, dataset, strict=True):
        values, row_errors = _clean(dict(zip(headers, raw, strict=False)), suppliers)
        if "supplier" in values and values["invoice_number"]:
            key = (values["supplier"].pk, values["invoice_number"])
            if key in seen:
                row_errors.setdefault("invoice_number", f"This invoice is also on line {seen[key]}.")
            seen.setdefault(key, line)
        errors += [{"line": line, "column": c, "message": m} for c, m in sorted(row_errors.items())]
        cleaned.append((line, values))
    if errors:
        return {"errors": errors, "rows": []}
    contracts = _contracts_by_reference({v["order_reference"] for _, v in cleaned})
    existing = {
        (i.supplier_id, i.invoice_number): i
        for i in Invoice.objects.filter(supplier__in={v["supplier"] for _, v in cleaned}).select_related("contract")
    }
    rows = []
    with transaction.atomic():
        for line, values in cleaned:
            invoice = existing.get((values["supplier"].pk, values["invoice_number"]))
            contract = contracts.get(values["order_reference"].casefold())
            action = "new"
            if invoice is None:
                invoice = Invoice(supplier=values["supplier"], invoice_number=values["invoice_number"])
            else:
                unchanged = all(getattr(invoice, f) == values[f] for f in FIELDS)
                if unchanged and (contract is None or contract.pk == invoice.contract_id):
                    rows.append({"line": line, "reference": str(invoice), "action": "skip"})
                    continue
                action = "update"
            for field in FIELDS:
                setattr(invoice, field, values[field])
            if contract is not None:
                invoice.contract = contract  # a contract Procurement matched by hand stays when nothing matches
            if not dry_run:
                history_user_set(invoice, by)
                invoice.save()
                late_payment_record(invoice=invoice, by=by)
            rows.append({"line": line, "reference": f"{invoice} ({values['supplier'].name})", "action": action})
    return {"errors": [], "rows": rows}


def invoice_template() -> tablib.Dataset:
    return tablib.Dataset(INVOICE_EXAMPLE_ROW, headers=list(INVOICE_COLUMNS))
