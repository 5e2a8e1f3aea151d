"""The register as a spreadsheet: every column a reader of the register would want."""

from core.exports import table_response


def person_name(user) -> str:
    return str(user) if user is not None else ""


REGISTER_COLUMNS = [
    ("Reference", lambda c: c.reference),
    ("Title", lambda c: c.title),
    ("Supplier", lambda c: c.supplier.name),
    ("Companies House number", lambda c: c.supplier.companies_house_number),
    ("Category", lambda c: c.category.name),
    ("Status", lambda c: c.get_status_display()),
    ("Goods, services or works", lambda c: c.get_nature_display()),
    ("Procurement route", lambda c: c.get_procurement_route_display()),
    ("Start date", lambda c: c.start_date),
    ("End date", lambda c: c.end_date),
    ("Latest end date with extensions", lambda c: c.extended_end_date),
    ("Notice period (days)", lambda c: c.notice_period_days),
    ("Total value (£)", lambda c: c.total_value),
    ("Annual value (£)", lambda c: c.annual_value),
    ("Kraljic quadrant", lambda c: c.get_kraljic_quadrant_display()),
    ("OCO", lambda c: person_name(c.oco)),
    ("SRO", lambda c: person_name(c.sro)),
    ("Cost centre", lambda c: c.cost_centre),
    ("Finance system reference", lambda c: c.finance_reference),
    # Added after the columns people's workbooks already read by position.
    ("Regime", lambda c: c.regime_label),
    ("Regime recorded or from the dates", lambda c: "from the dates" if c.regime_follows_from_dates else "recorded"),
    ("Procurement began on", lambda c: c.procurement_started_on),
    ("Kind of agreement", lambda c: c.get_agreement_display()),
    ("Light-touch", lambda c: "yes" if c.light_touch else "no"),
    ("Regulated by the Welsh Ministers", lambda c: "yes" if c.regulated_by_welsh_ministers else "no"),
    ("KPIs not appropriate, because", lambda c: c.kpis_not_appropriate_reason),
]


def register_export(contracts, *, fmt: str, name: str):
    """The contracts (already scoped and filtered) as CSV or XLSX, in the list's order."""
    rows = contracts.select_related("supplier", "category", "oco", "sro").iterator(chunk_size=2000)
    return table_response(
        fmt=fmt,
        name=name,
        title="Contract register",
        headers=[label for label, _ in REGISTER_COLUMNS],
        rows=([value(contract) for _, value in REGISTER_COLUMNS] for contract in rows),
    )
