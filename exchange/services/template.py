"""The import template as a proper workbook: the "Contracts" sheet with its headers and an example
row, and a "Reference" sheet with the values each coded column accepts and the people who may be
named as OCO or SRO (by username or e-mail address)."""

import io

from accounts import roles
from accounts.models import User
from contracts.models import Category, Contract, Regime
from exchange.resources import COLUMNS, EXAMPLE_ROW

CODED_COLUMNS = [
    ("status", Contract.Status.choices),
    ("nature", Contract.Nature.choices),
    ("procurement_route", Contract.ProcurementRoute.choices),
    ("regime", Regime.choices),
]


def _sized(sheet, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, width + 2))


def _header(sheet, headers: list[str]) -> None:
    from openpyxl.styles import Font

    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def template_workbook() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    contracts = workbook.create_sheet("Contracts")
    workbook.remove(workbook.worksheets[0])  # the blank sheet a new workbook starts with
    _header(contracts, list(COLUMNS))
    contracts.append(list(EXAMPLE_ROW))
    _sized(contracts, [max(len(h), len(str(v))) for h, v in zip(COLUMNS, EXAMPLE_ROW, strict=True)])

    reference = workbook.create_sheet("Reference")
    _header(reference, ["Column", "Value to write", "Meaning"])
    for name in Category.objects.order_by("name").values_list("name", flat=True):
        reference.append(["category", name, "A category of the register"])
    for column, choices in CODED_COLUMNS:
        for value, label in choices:
            reference.append([column, value, label])
    people = (
        User.objects.filter(is_active=True, groups__name__in=[roles.OCO, roles.SRO])
        .distinct()
        .prefetch_related("groups")
        .order_by("last_name", "first_name", "username")
    )
    for user in people:
        held = sorted(g.name for g in user.groups.all() if g.name in (roles.OCO, roles.SRO))
        meaning = f"{user.get_full_name() or user.username}, {' and '.join(held)}"
        if user.email:
            meaning += f" ({user.email})"
        reference.append(["oco / sro", user.username, meaning])
    _sized(reference, [10, 30, 60])
    reference.auto_filter.ref = f"A1:C{reference.max_row}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
