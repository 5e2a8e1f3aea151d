"""The cheap pieces a long list's rows are built from say what the slower ones said."""

from django.template import Context, Template
from django.urls import reverse

from core.paging import url_of_each


def test_one_pattern_gives_each_row_the_url_reverse_gives():
    detail = url_of_each("contracts:detail")
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
