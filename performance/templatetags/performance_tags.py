from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from contracts.models import Escalation
from performance.ratings import POOR, Rating
from performance.selectors import PUBLISHED_KPI_MINIMUM, PUBLISHED_KPI_VALUE, published_kpi_shortfall

register = template.Library()


@register.inclusion_tag("performance/tracking/_published_kpi_flag.html", takes_context=True)
def published_kpi_flag(context, contract):
    """A warning on a contract that section 52 reaches (Contract.needs_three_kpis) with fewer than three
    active published KPIs (one query, and none for a contract the rule does not cover)."""
    user = context.get("user")
    return {
        "contract": contract,
        "published": published_kpi_shortfall(contract),
        "minimum": PUBLISHED_KPI_MINIMUM,
        "value": PUBLISHED_KPI_VALUE,
        "can_see_list": bool(user and user.has_perm("performance.view_published_kpi_list")),
    }


RATING_WORDS = dict(Rating.choices)


@register.filter
def rating_badge(rating: str) -> str:
    """A KPI result's rating: its colour and, always, its word (WCAG: colour is never the only signal).
    A filter, not an included template: the Performance tab shows hundreds of them."""
    return format_html(
        '<span class="badge rating-badge rating-{}">{}</span>', rating or "none", RATING_WORDS.get(rating, "Not rated")
    )


@register.filter
def data_rows(results) -> str:
    """The rows of a KPI's "Show the data" table, one per result (hundreds on a long-running KPI):
    joined here rather than by a template loop of three variables each."""
    return format_html_join(
        "",
        '<tr><th scope="row" class="fw-normal">{}</th><td class="numeric">{}</td><td>{}</td></tr>',
        ((r.label, r.display_actual, r.get_effective_rating_display()) for r in results),
    )


@register.filter
def is_poor(result) -> bool:
    """Rated Requires improvement or Inadequate: the result offers an escalation and an improvement plan."""
    return result.effective_rating in POOR


@register.simple_tag
def raise_escalation_url(kpi, result) -> str:
    """ "Raise an escalation" from a poor result: the contract's raise form, filled in with the KPI and period."""
    rating = result.get_effective_rating_display()
    label = getattr(result, "label", "") or f"{result.period_start:%d/%m/%Y}"
    query = {
        "source": Escalation.Source.SIGNIFICANT_PERFORMANCE_ISSUE,
        "severity": Escalation.Severity.HIGH if rating == "Inadequate" else Escalation.Severity.MEDIUM,
        "title": f"{kpi.name}: {rating} for {label}",
        "details": f"{kpi.name} was {getattr(result, 'display_actual', result.actual)} for {label}, "
        f"rated {rating}.\n{result.commentary}".strip(),
    }
    return f"{reverse('escalations:raise', args=[kpi.contract_id])}?{urlencode(query)}"
