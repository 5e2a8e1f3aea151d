"""A page of a long list in two steps: the page's ids first, then those rows with their joins.

Sorting thousands of rows each joined to its supplier, category and people costs far more than
sorting their ids: the database sorts (and groups) narrow rows, then reads the page's few rows with
their joins by primary key. One query more, and a list of thousands costs about what a page does."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def rows_in_order(rows: QuerySet, ids: list) -> list:
    """The rows of `rows` with these ids, in the ids' order (one that has gone since is left out)."""
    found = {row.pk: row for row in rows.filter(pk__in=ids)} if ids else {}
    return [found[pk] for pk in ids if pk in found]


def page_of(rows: QuerySet, *, per_page: int, number) -> Page:
    """The page `number` of `rows` (in their order), its rows fetched in two steps."""
    page = Paginator(rows.values_list("pk", flat=True), per_page).get_page(number)
    page.object_list = rows_in_order(rows, list(page.object_list))
    return page
