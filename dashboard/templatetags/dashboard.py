from functools import lru_cache
from urllib.parse import urlencode

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.formatting import compact_pounds, pounds

register = template.Library()


@register.simple_tag
def panel_url(slug: str, filters: dict, **params) -> str:
    """The list behind a panel, with the dashboard's filters and the panel's own parameters."""
    query = {**filters, **{name: value for name, value in params.items() if value not in (None, "")}}
    url = _list_url(slug, get_script_prefix(), get_urlconf())
    return f"{url}?{urlencode(query)}" if query else url


@lru_cache(maxsize=128)
def _list_url(slug: str, script_prefix: str, urlconf: str | None) -> str:
    """A panel list's path, reversed once per slug (the dashboard links to each list many times)."""
    return reverse("dashboard:list", args=[slug], urlconf=urlconf)


@register.filter
def heat_level(count: int) -> int:
    """A shade from 0 to 4 for a heatmap cell; the number is always shown as well."""
    if not count:
        return 0
    if count == 1:
        return 1
    if count <= 3:
        return 2
    if count <= 5:
        return 3
    return 4


@register.filter
def heat_cells(cells) -> SafeString:
    """A heat map row's cells from its (rating key, count) pairs, written in Python rather than by template
    tags in a loop on each of a long table's rows (the SRO overview's); each cell once per process."""
    return SafeString("".join(_heat_cell(key, count) for key, count in cells))


@lru_cache(maxsize=1024)
def _heat_cell(key: str, count: int) -> str:
    return format_html('<td class="numeric heat heat-{} heat-{}">{}</td>', key, heat_level(count), localize(count))


@register.filter
def percent_of(part, whole) -> int:
    return round(100 * part / whole) if whole else 0


@register.simple_tag
def headline_pounds(value) -> str:
    """£75.3m at a glance; the exact sum is read out by screen readers and shown on hover."""
    exact = whole_pounds(value)
    return format_html(
        '<span aria-hidden="true" title="{}">{}</span><span class="visually-hidden">{}</span>',
        exact,
        compact_pounds(value),
        exact,
    )


@register.filter
def whole_pounds(value) -> str:
    """£17,314,000 for a headline figure: pence do not matter at a glance."""
    return pounds(round(value)) if value is not None else pounds(value)
