from django import template

from meetings.selectors import contract_meeting_schedule

register = template.Library()


@register.inclusion_tag("meetings/_schedule_state.html")
def meeting_state(contract):
    """The contract page's line on its next face-to-face meeting (one query)."""
    return {"schedule": contract_meeting_schedule(contract)}
