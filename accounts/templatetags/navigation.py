"""The navigation bar's links, written in Python once per set of roles, section and script prefix.

base.html wrote them with some forty {% url %} tags on every page, about a tenth of a cached page's time.
URLs do not change while the site runs, so each combination of what decides the links (the person's roles,
the page's section `nav`, the script prefix and URLconf) is built once per process and kept."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

# The dropdowns the Procurement Unit and administrators see: (section, title, [(url name, label) or None]),
# None being a divider.
DROPDOWNS = (
    (
        "kraljic",
        "Kraljic",
        [
            ("contracts:kraljic_matrix", "Matrix"),
            ("contracts:review_rounds", "Review rounds"),
            ("contracts:sro_rules", "SRO rules"),
            ("performance:published_kpis", "Published KPIs over £5m"),
        ],
    ),
    (
        "lifecycle",
        "Lifecycle",
        [
            ("lifecycle:renewals", "Renewals"),
            ("exchange:termination_notices", "Termination notices due"),
            ("lifecycle:savings", "Savings"),
            ("lifecycle:training", "OCO training"),
            ("lifecycle:handover", "Handover"),
        ],
    ),
    (
        "data",
        "Data",
        [
            ("imports:start", "Import a spreadsheet"),
            ("ocds:import", "Import OCDS notices"),
            ("ocds:export", "Export the register as OCDS"),
            ("ocds:market", "Market awards"),
            None,
            ("payments:import", "Import invoices from the finance system"),
            ("payments:late", "Paying suppliers on time"),
            ("payments:compliance", "Payments compliance notices"),
            ("payments:large", "Payments over £30,000"),
            None,
            ("exchange:notices", "Contract performance notices"),
            ("exchange:change_notices", "Contract change notices"),
            ("exchange:termination_notices", "Contract termination notices"),
        ],
    ),
)

# The links of the bar's right-hand side and the brand, for {% nav_urls as urls %}.
FIXED = {
    "home": "home",
    "notifications": "notifications:list",
    "calendar": "meetings:calendar",
    "training_mine": "lifecycle:training_mine",
    "password_change": "accounts:password_change",
    "two_factor": "accounts:two_factor",
    "logout": "accounts:logout",
}

DIVIDER = SafeString('<li><hr class="dropdown-divider"></li>')
NOT_ACTIVE = SafeString("")
ACTIVE = SafeString(" active")
ACTIVE_PAGE = SafeString(' active" aria-current="page')  # the link to the page itself


def _active(current: str, section: str, *, aria: bool = True) -> SafeString:
    if current != section:
        return NOT_ACTIVE
    return ACTIVE_PAGE if aria else ACTIVE


def _joined(separator: str, parts) -> SafeString:
    return format_html_join(separator, "{}", ((part,) for part in parts))


def _link(current: str, section: str, url_name: str, label: str) -> SafeString:
    return format_html(
        '<li class="nav-item"><a class="nav-link{}" href="{}">{}</a></li>',
        _active(current, section),
        reverse(url_name),
        label,
    )


def _dropdown(current: str, section: str, title: str, items: list) -> SafeString:
    entries = [
        DIVIDER
        if item is None
        else format_html('<li><a class="dropdown-item" href="{}">{}</a></li>', reverse(item[0]), item[1])
        for item in items
    ]
    return _dropdown_html(current, section, title, entries)


def _dropdown_html(current: str, section: str, title: str, entries: list) -> SafeString:
    toggle = format_html(
        '<a class="nav-link dropdown-toggle{}" href="#" role="button" data-bs-toggle="dropdown"'
        ' aria-expanded="false">{}</a>',
        _active(current, section, aria=False),
        title,
    )
    return format_html(
        '<li class="nav-item dropdown">\n  {}\n  <ul class="dropdown-menu">\n    {}\n  </ul>\n</li>',
        toggle,
        _joined("\n    ", entries),
    )


@lru_cache(maxsize=512)
def _main_links(
    procurement: bool, administrator: bool, oco: bool, sro: bool, current: str, script_prefix: str, urlconf: str | None
) -> SafeString:
    everything = procurement or administrator
    links = []
    if everything:
        links.append(_link(current, "dashboard", "dashboard:procurement", "Dashboard"))
    if sro:
        links.append(_link(current, "sro", "dashboard:sro", "SRO overview"))
    if oco or not (sro or everything):
        links.append(_link(current, "my_work", "dashboard:my_work", "My work"))
    links.append(_link(current, "contracts", "contracts:list", "Contracts" if everything else "My contracts"))
    if everything:
        links.append(_link(current, "tasks", "performance:tasks", "Performance tasks"))
    links.append(_link(current, "suppliers", "suppliers:list", "Suppliers"))
    links.append(_link(current, "escalations", "escalations:list", "Escalations"))
    if everything:
        links.extend(_dropdown(current, section, title, items) for section, title, items in DROPDOWNS)
    if administrator:
        entries = [
            format_html('<li><a class="dropdown-item" href="{}">Administration</a></li>', reverse("admin:index")),
            format_html(
                '<li><a class="dropdown-item{}" href="{}">Operations</a></li>',
                _active(current, "operations"),
                reverse("notifications:operations"),
            ),
        ]
        links.append(_dropdown_html(current, "operations", "System", entries))
    return _joined("\n", links)


@register.simple_tag(takes_context=True)
def main_nav(context) -> SafeString:
    """The left-hand links for the signed-in person's roles (accounts.context_processors.roles), the page's
    section (`nav`) marked active."""
    return _main_links(
        bool(context.get("user_is_procurement")),
        bool(context.get("user_is_administrator")),
        bool(context.get("user_is_oco")),
        bool(context.get("user_is_sro")),
        str(context.get("nav") or ""),
        get_script_prefix(),
        get_urlconf(),
    )


@lru_cache(maxsize=16)
def _fixed_urls(script_prefix: str, urlconf: str | None) -> dict[str, str]:
    return {key: reverse(name) for key, name in FIXED.items()}


@register.simple_tag
def nav_urls() -> dict[str, str]:
    """The brand's and the right-hand side's links, reversed once."""
    return _fixed_urls(get_script_prefix(), get_urlconf())
