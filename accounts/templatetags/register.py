from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core import formatting
from core.links import url_pattern

register = template.Library()


@register.filter
def pounds(value) -> str:
    return formatting.pounds(value)


@register.filter
def days_phrase(days) -> str:
    return formatting.days_phrase(int(days))


STATUS_BADGE_CLASSES = {
    "active": "text-bg-success",
    "draft": "text-bg-secondary",
    "expired": "text-bg-warning",
    "terminated": "text-bg-danger",
    "on_hold": "text-bg-warning",
}


@register.simple_tag
def status_badge(status: str, label: str) -> str:
    """A contract's or supplier's status as a coloured badge (cheap enough for every row of a list)."""
    colour = STATUS_BADGE_CLASSES.get(status, "text-bg-light border")
    return format_html('<span class="badge status-badge {}">{}</span>', colour, label)


@register.simple_tag(takes_context=True)
def query_transform(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for sorting and paging links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def sort_header(context, field: str, label: str, numeric: bool = False) -> str:
    """A sortable column header: a link that sorts by `field` (the other way round when the list is
    already sorted by it), saying which way the list is sorted. `current` in the context: the sort."""
    current = context.get("current")
    if current == field:
        direction, toggled, indicator = "ascending", f"-{field}", "▲"
    elif current == f"-{field}":
        direction, toggled, indicator = "descending", field, "▼"
    else:
        direction, toggled, indicator = "none", field, ""
    sign = format_html(' <span class="sort-indicator" aria-hidden="true">{}</span>', indicator) if indicator else ""
    return format_html(
        '<th scope="col"{} aria-sort="{}">\n  <a href="?{}">{}{}</a>\n</th>',
        mark_safe(' class="numeric"') if numeric else "",
        direction,
        query_transform(context, sort=toggled, page=""),
        label,
        sign,
    )


@register.filter
def pk_url(pk: int, name: str) -> str:
    """`{{ contract.pk|pk_url:"contracts:detail" }}`: the URL {% url "contracts:detail" contract.pk %} gives,
    reversed once per name (core.links) rather than on every page: the contract's tabs and header."""
    return url_pattern(name).for_pk(pk)
