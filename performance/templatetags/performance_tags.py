from django import template

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
