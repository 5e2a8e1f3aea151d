"""Links for the rows of a long list, each URL reversed once: `{% url %}` on every row of a table of
hundreds costs a full reverse per row, joining strings costs almost nothing."""

from collections.abc import Iterable
from functools import lru_cache

from django.db.models import Model
from django.urls import get_script_prefix, get_urlconf, reverse

_PK = 987654321  # stands in for a row's pk while a URL is reversed once


class UrlPattern:
    """A URL that takes one pk, reversed once; `for_pk` fills in each row's pk."""

    def __init__(self, name: str):
        self.prefix, found, self.suffix = reverse(name, args=[_PK]).partition(str(_PK))
        assert found, f"{name} does not take its pk as a path segment"

    def for_pk(self, pk: int) -> str:
        return f"{self.prefix}{pk}{self.suffix}"


def url_pattern(name: str) -> UrlPattern:
    """The UrlPattern of `name`, reversed once per process (for the script prefix and URLconf in force,
    which a URL depends on): URLs do not change while the site runs."""
    return _url_pattern(name, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=256)
def _url_pattern(name: str, prefix: str, urlconf) -> UrlPattern:
    return UrlPattern(name)


def add_links(rows: Iterable[Model], **links: str) -> None:
    """Give each row an attribute per keyword: the URL named by its value, with the row's pk.
    add_links(actions, edit_url="meetings:action_edit") sets action.edit_url on each action."""
    patterns = {attr: url_pattern(name) for attr, name in links.items()}
    for row in rows:
        for attr, pattern in patterns.items():
            setattr(row, attr, pattern.for_pk(row.pk))
