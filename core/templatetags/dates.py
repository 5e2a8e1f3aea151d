"""Django's `date` filter, each calendar day written once per format (a template builtin: every
template's `|date` is this one, config/settings.py).

Pages list hundreds of dates (the SRO overview and My work about 150 each), and Django's filter works
each one out afresh: the format string parsed, a translated month name looked up, about a twentieth of
a millisecond a date. A day (a `date`; a `datetime` is written afresh, after its conversion to local
time) gives the same text every time for a format and a language, so it is remembered."""

import datetime

from django import template
from django.template import defaultfilters

from core.formatting import day_text

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if type(value) is datetime.date:
        return day_text(value, arg)
    return defaultfilters.date(value, arg)
