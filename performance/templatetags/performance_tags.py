from django import template

from performance import rows
from performance.ratings import POOR
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


@register.filter
def rating_badge(rating: str) -> str:
    """A KPI result's rating, its colour and its word (performance.rows.rating_badge). A filter, not an
    included template: the Performance tab shows hundreds of them."""
    return rows.rating_badge(rating)


@register.filter
def data_rows(results) -> str:
    """The rows of a KPI's "Show the data" table, joined in Python (performance.rows.data_rows) rather
    than by a template loop of three variables on each of hundreds of results."""
    return rows.data_rows(results)


@register.filter
def is_poor(result) -> bool:
    """Rated Requires improvement or Inadequate: the result offers an escalation and an improvement plan."""
    return result.effective_rating in POOR


@register.simple_tag
def poor_result_actions(kpi, result, inline: bool = False) -> str:
    """The links a poor result offers: raise an escalation, start an improvement plan (performance.rows)."""
    return rows.poor_result_actions(kpi, result, inline=inline)


@register.simple_tag
def rating_key() -> str:
    """Every rating's badge: the key under each KPI's trend chart (built once, performance.rows)."""
    return rows.rating_key()
