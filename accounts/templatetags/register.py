from django import template

from core import formatting

register = template.Library()


@register.filter
def pounds(value) -> str:
    return formatting.pounds(value)


@register.filter
def days_phrase(days) -> str:
    return formatting.days_phrase(int(days))


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
