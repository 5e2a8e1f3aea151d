"""The widgets of the spreadsheet import: each reads what people type in a column, strictly, and
says what is wrong with a cell in words the person can act on."""

import re
from datetime import date, datetime
from decimal import Decimal

from import_export import widgets


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet cell holding 90 arrives as 90.0
    return str(value).strip()


class DateWidget(widgets.Widget):
    """25/11/2026, 25/11/26, 2026-11-25, or a date cell of a spreadsheet."""

    FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")

    def __init__(self, *, required: bool):
        super().__init__()
        self.required = required

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = _text(value)
        if not text:
            if self.required:
                raise ValueError("Give a date (25/11/2026).")
            return None
        text = text.split(" ")[0].split("T")[0]  # "2026-11-25 00:00:00" from some spreadsheets
        for fmt in self.FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(f"“{_text(value)}” is not a date: write it as 25/11/2026 or 2026-11-25.")

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


# Digits grouped in threes with commas (1,250,000) or not grouped at all (1250000), then pence.
AMOUNT = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
PENNY = Decimal("0.01")
MAXIMUM = Decimal(10) ** 12  # the register's amounts have 12 digits before the pence


class PoundsWidget(widgets.Widget):
    """£1,250,000.00, 1250000 or a number cell; nothing a spreadsheet may have mangled. Scientific
    notation ("1.23457E+06": Excel's display of a long number, its last digits lost), digits grouped
    other than in threes ("£1,25,000.00") and fractions of a penny ("£10,000.005") are refused, never
    guessed at. `allow_zero=False` refuses £0.00 too."""

    def __init__(self, *, allow_zero: bool = True):
        super().__init__()
        self.allow_zero = allow_zero

    def clean(self, value, row=None, **kwargs):
        shown = _text(value)
        shown = shown if len(shown) <= 40 else f"{shown[:40]}…"  # a message names the cell, not all of it
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            amount = Decimal(str(value))
        else:
            text = _text(value).replace("£", "", 1).strip()
            if not text:
                raise ValueError("Give an amount in pounds (£1,250,000.00).")
            if text.startswith("-"):
                raise ValueError(f"“{shown}” is negative: an amount cannot be below £0.00.")
            if "e" in text.casefold() and re.fullmatch(r"[\d.,]+[eE][+-]?\d+", text):
                raise ValueError(
                    f"“{shown}” is in scientific notation, which loses digits: format the column as a number "
                    "with 2 decimal places (not General) and save the file again."
                )
            if not AMOUNT.match(text):
                if re.fullmatch(r"[\d,]+(\.\d+)?", text):
                    raise ValueError(
                        f"“{shown}” has its digits grouped in an unusual way: write £1,250,000.00 "
                        "(commas between groups of three digits) or 1250000.00."
                    )
                raise ValueError(f"“{shown}” is not an amount in pounds (£1,250,000.00).")
            amount = Decimal(text.replace(",", ""))
        if not amount.is_finite():
            raise ValueError(f"“{shown}” is not an amount in pounds.")
        if amount < 0:
            raise ValueError(f"“{shown}” is negative: an amount cannot be below £0.00.")
        if amount >= MAXIMUM:
            raise ValueError(f"“{shown}” is too large: the register holds amounts below £1,000,000,000,000.")
        if amount != amount.quantize(PENNY):
            raise ValueError(f"“{shown}” has a fraction of a penny: give pounds and pence (£10,000.01).")
        if not self.allow_zero and amount == 0:
            raise ValueError("The total value cannot be £0.00: give the contract's value over its whole term.")
        return amount.quantize(PENNY)

    def render(self, value, obj=None, **kwargs):
        return f"{value:.2f}" if value is not None else ""


class WholeNumberWidget(widgets.Widget):
    def __init__(self, *, default: int):
        super().__init__()
        self.default = default

    def clean(self, value, row=None, **kwargs):
        text = _text(value).replace(",", "")
        if not text:
            return self.default
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError(f"“{text}” is not a whole number.")
        return int(text)


class ChoiceWidget(widgets.Widget):
    """A choice by its value (`active`) or its label (`Active`), in any case."""

    def __init__(self, choices, *, default: str):
        super().__init__()
        self.default = default
        self.lookup = {}
        for value, label in choices:
            self.lookup[str(value).casefold()] = value
            self.lookup[str(label).casefold()] = value
        self.allowed = ", ".join(str(value) for value, _ in choices)

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return self.default
        try:
            return self.lookup[text.casefold()]
        except KeyError:
            raise ValueError(f"“{text}” is not one of: {self.allowed}.") from None


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)
