"""The cheap pieces a long list's rows are built from say what the slower ones said."""

from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from core.links import UrlPattern


def test_one_pattern_gives_each_row_the_url_reverse_gives():
    detail = UrlPattern("contracts:detail").for_pk
    for pk in (1, 9, 10, 987654321, 123456789012):
        assert detail(pk) == reverse("contracts:detail", args=[pk])


def test_the_status_badge_is_coloured_by_status_and_escapes_its_label():
    badge = Template("{% include 'includes/status_badge.html' %}")
    expected = {
        "active": "text-bg-success",
        "draft": "text-bg-secondary",
        "expired": "text-bg-warning",
        "terminated": "text-bg-danger",
        "on_hold": "text-bg-warning",
        "something_new": "text-bg-light border",
    }
    for status, colour in expected.items():
        html = badge.render(Context({"status": status, "label": "Fish & <chips>"})).strip()
        assert html == f'<span class="badge status-badge {colour}">Fish &amp; &lt;chips&gt;</span>'


def _header(query: str, field: str, **extra) -> str:
    request = RequestFactory().get(f"/contracts/{query}")
    template = Template("{% load register %}{% sort_header field label numeric %}")
    context = {"request": request, "current": request.GET.get("sort"), "field": field, "label": "Ends", **extra}
    return template.render(Context(context))


def test_a_column_header_says_how_the_list_is_sorted_and_links_to_the_other_way_keeping_the_filters():
    unsorted = _header("?status=active&page=3", "end_date", numeric=False)
    assert 'aria-sort="none"' in unsorted
    assert 'href="?status=active&amp;sort=end_date"' in unsorted and "sort-indicator" not in unsorted

    ascending = _header("?sort=end_date&status=active", "end_date", numeric=True)
    assert '<th scope="col" class="numeric" aria-sort="ascending">' in ascending
    assert 'href="?sort=-end_date&amp;status=active"' in ascending and "▲" in ascending

    descending = _header("?sort=-end_date", "end_date", numeric=False)
    assert 'aria-sort="descending"' in descending and 'href="?sort=end_date"' in descending and "▼" in descending

    other = _header("?sort=-title", "end_date", numeric=False)
    assert 'aria-sort="none"' in other and 'href="?sort=end_date"' in other
