"""Hostile input for the fuzz tests (tests/core/test_fuzz.py, tests/exchange/test_fuzz_input.py and
test_fuzz_queries.py): the explicit examples every form gets, the hypothesis strategies for the random ones,
and what a page that shows the input may and may not contain.

The number of random examples a form gets is FUZZ_EXAMPLES (default 3 in `make test`, 2 in `make test-fast`:
tests/examples.py; on top of the explicit ones);
`FUZZ_EXAMPLES=500 pytest tests/core/test_fuzz.py` looks harder. Hypothesis keeps no example database
here (`database=None`): a failure prints the example to reproduce it. On CI (CI=true) hypothesis
derandomises by itself, so a run there is repeatable.
"""

import os
import re
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import date

from django import forms
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, example, settings
from hypothesis import strategies as st

from tests.examples import examples

SCRIPT = "<script>alert(1)</script>"

# Markup that would run if a page printed it as it came.
TAGS = (
    SCRIPT,
    '"><script>alert(1)</script>',
    "</textarea><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "'><svg/onload=alert(1)>",
)
RAW_MARKUP = re.compile(r"<script>alert|<img src=x onerror|<svg/onload", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)

# A cell that Excel would run as a formula.
FORMULA = '=HYPERLINK("http://evil.example","Open")'

SQL = "'; DROP TABLE contracts_contract; --"
EMOJI = "Police 👮\u200d♀️ 🚓 £1,250 ✓"
RTL = "\u202bمرحبا بالعالم — עברית\u202c"

# The explicit examples: (which fields, value). "text", "number", "date" and "choice" are the kinds of
# field (see field_kinds), "all" is every field of the form at once; a tuple of values is dealt out
# over the fields in turn. An example whose kind the form lacks is skipped.
EXAMPLES = (
    ("text", SCRIPT),
    ("all", '"><script>alert(1)</script>\u202e\u0000'),
    ("text", (SQL, EMOJI, RTL, FORMULA)),
    ("text", "x" * 100_000),
    ("number", "9" * 400),
    ("number", "-1e309"),
    ("number", "NaN"),
    ("date", "0001-01-01"),
    ("date", "9999-12-31"),
    ("choice", "9" * 400),
)
HOSTILE_VALUES = (SCRIPT, SQL, EMOJI, RTL, FORMULA, "\u202e\u0000", "a\x00b", "x" * 100_000, "9" * 400, "-1e309", "NaN")

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", examples(3)))
SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def with_examples(examples: Iterable[tuple[str, str]] = EXAMPLES) -> Callable:
    """The explicit examples as hypothesis @example(spoil={"*kind": value}) decorators."""

    def decorate(test):
        for kind, value in reversed(tuple(examples)):
            test = example(spoil={f"*{kind}": value})(test)
        return test

    return decorate


# --- Strategies ------------------------------------------------------------------------------------

markup = st.builds(lambda a, tag, b: a + tag + b, st.text(max_size=8), st.sampled_from(TAGS), st.text(max_size=8))
any_hostile = st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=200), markup)

numbers = st.one_of(
    st.integers().map(str),
    st.integers(min_value=-(10**30), max_value=10**30).map(lambda n: f"{n:,}"),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.sampled_from(["9" * 400, "-1e309", "1e400", "-0", "0.001", "1_000", "١٢٣", "²", " 12 ", "12,5", "£1,000"]),
)
dates = st.one_of(
    st.dates().map(date.isoformat),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    st.sampled_from(
        [
            "0001-01-01",
            "9999-12-31",
            "0001-01-01T00:00",
            "9999-12-31T23:59",
            "2026-02-30",
            "2026-13-01",
            "0000-00-00",
            "10000-01-01",
            "-2026-01-01",
            "2026-03-29T01:30",  # a time the clocks skip in spring
            "2026-10-25T01:30",  # a time that happens twice in autumn
        ]
    ),
)
choices = st.one_of(st.integers().map(str), st.sampled_from(["9" * 400, "-1", "0", "1.5", "²", "", "on"]))
BY_KIND = {"text": st.one_of(markup, st.text()), "number": numbers, "date": dates, "choice": choices}


def field_kinds(form: forms.BaseForm) -> dict[str, str]:
    """Each field of a form by its kind: text, number, date or choice (file fields are left out)."""
    kinds = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        if isinstance(field, forms.DateField | forms.DateTimeField):
            kind = "date"
        elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
            kind = "number"
        elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField):
            kind = "choice"
        else:
            kind = "text"
        kinds[form.add_prefix(name)] = kind
    return kinds


def spoils(kinds: dict[str, str]) -> st.SearchStrategy[dict[str, str]]:
    """One to three fields of the form, each with a hostile value (mostly one of its own kind)."""
    names = sorted(kinds)
    return st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True).flatmap(
        lambda chosen: st.fixed_dictionaries(
            {name: st.one_of(BY_KIND[kinds[name]], BY_KIND[kinds[name]], any_hostile) for name in chosen}
        )
    )


def spoiled(baseline: dict, kinds: dict[str, str], spoil: dict) -> dict:
    """The baseline POST data with the spoilt fields replaced; "*kind" keys spoil every field of that kind
    (with a tuple of values, dealt out in turn)."""
    data = dict(baseline)
    for key, value in spoil.items():
        if key.startswith("*"):
            names = [name for name, kind in sorted(kinds.items()) if key[1:] in ("all", kind)]
            values = value if isinstance(value, tuple) else (value,)
            for index, name in enumerate(names):
                data[name] = values[index % len(values)]
        else:
            data[key] = value
    return data


def spoils_anything(kinds: dict[str, str], spoil: dict[str, str]) -> bool:
    return any(not key.startswith("*") or key[1:] in ("all", *kinds.values()) for key in spoil)


# --- Checks ----------------------------------------------------------------------------------------


@contextmanager
def rolled_back():
    """Each example leaves the database as it found it."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_safe(response, *, what: str = "") -> None:
    """Never a server error; an HTML page never holds hostile markup as it came (only escaped)."""
    where = what or getattr(response, "request", {}).get("PATH_INFO", "")
    assert response.status_code < 500, f"{where}: {response.status_code}"
    if response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        found = RAW_MARKUP.search(html)
        assert found is None, f"{where}: unescaped markup {html[max(0, found.start() - 200) : found.end() + 200]!r}"
        found = JAVASCRIPT_URL.search(html)
        assert found is None, f"{where}: javascript: URL {html[max(0, found.start() - 200) : found.end() + 200]!r}"
