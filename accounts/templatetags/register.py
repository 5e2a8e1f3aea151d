from django import template
from django.utils.html import format_html

from core import formatting

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
