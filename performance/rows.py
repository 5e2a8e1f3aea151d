"""The Performance tab's result rows, prebuilt: each row's links, rating, details and actions made here,
once, so the template prints a few strings rather than running `{% url %}`, filters, includes and a
dozen conditions on each of hundreds of rows. Each piece is written here once, and the templates
that show one result elsewhere (a due row just recorded, the chart's key) call the same functions."""

import html
from functools import cache
from urllib.parse import urlencode

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from contracts.models import Escalation
from core.formatting import long_date
from core.links import url_pattern
from performance.models import Kpi, KpiResult
from performance.ratings import POOR, RATING_WORDS, Rating


@cache
def rating_badge(rating: str) -> SafeString:
    """A KPI result's rating: its colour and, always, its word (WCAG: colour is never the only signal).
    Built once for each of the few ratings."""
    return format_html(
        '<span class="badge rating-badge rating-{}">{}</span>', rating or "none", RATING_WORDS.get(rating, "Not rated")
    )


@cache
def rating_key() -> SafeString:
    """Every rating's badge, each followed by a space: the key under each KPI's trend chart."""
    return mark_safe("".join(f"{rating_badge(rating)} " for rating in Rating.values))  # noqa: S308 - built by format_html


def raise_escalation_url(kpi: Kpi, result: KpiResult) -> str:
    """ "Raise an escalation" from a poor result: the contract's raise form, filled in with the KPI and period."""
    rating = result.get_effective_rating_display()
    label = getattr(result, "label", "") or f"{result.period_start:%d/%m/%Y}"
    query = {
        "source": Escalation.Source.SIGNIFICANT_PERFORMANCE_ISSUE,
        "severity": (
            Escalation.Severity.HIGH if result.effective_rating == Rating.INADEQUATE else Escalation.Severity.MEDIUM
        ),
        "title": f"{kpi.name}: {rating} for {label}",
        "details": f"{kpi.name} was {getattr(result, 'display_actual', result.actual)} for {label}, "
        f"rated {rating}.\n{result.commentary}".strip(),
    }
    return f"{reverse('escalations:raise', args=[kpi.contract_id])}?{urlencode(query)}"


def poor_result_actions(kpi: Kpi, result: KpiResult, *, inline: bool = False, plan_start: str = "") -> SafeString:
    """The links a poor result offers: raise an escalation, start an improvement plan (`plan_start`: its
    URL when the caller has reversed it already)."""
    return format_html(
        '<a class="{}" href="{}">Raise an escalation<span class="visually-hidden"> about {}, {}</span></a>{}'
        '<a class="{}" href="{}">Start an improvement plan<span class="visually-hidden"> for {}</span></a>',
        "me-2" if inline else "d-block",
        raise_escalation_url(kpi, result),
        kpi.name,
        getattr(result, "label", ""),
        "" if inline else " ",
        "" if inline else "d-block",
        plan_start or reverse("performance:improvement_plan_start", args=[result.pk]),
        kpi.name,
    )


def result_rows(kpi: Kpi, results: list[KpiResult]) -> list[KpiResult]:
    """The results of `kpi` (decorated by performance.charts.decorate, with `updated_day`: the local day
    of `updated_at`) with a row of the results table
    each: `row`, with the actions cell, for someone who may record, `row_readonly` for anyone else;
    and the cells and links they are made of (`rating_cell`, `details`, `actions`, the URLs). Joined
    as plain strings, each value escaped once (format_html costs several calls a value, on hundreds
    of rows)."""
    correct, override, evidence, plan_start = (
        url_pattern(f"performance:{name}")
        for name in ("result_correct", "result_override", "evidence", "improvement_plan_start")
    )
    target = f"#kpi-{kpi.pk}-results"
    for result in results:
        result.correct_url = correct.for_pk(result.pk)
        result.override_url = override.for_pk(result.pk)
        result.evidence_url = evidence.for_pk(result.pk) if result.evidence else ""
        result.updated_on = long_date(result.updated_day)
        result.is_poor = result.effective_rating in POOR
        result.rating_cell = _rating_cell(result)
        result.details = _details(result)
        label = _escape(result.label)
        poor = poor_result_actions(kpi, result, plan_start=plan_start.for_pk(result.pk)) if result.is_poor else ""
        result.actions = SafeString(
            f'<a class="d-block" href="{result.correct_url}" hx-get="{result.correct_url}" hx-target="{target}" '
            f'hx-swap="outerHTML">Correct<span class="visually-hidden"> the result for {label}</span></a>\n'
            f'<a class="d-block" href="{result.override_url}" hx-get="{result.override_url}" hx-target="{target}" '
            f'hx-swap="outerHTML">Override<span class="visually-hidden"> the rating for {label}</span></a>\n{poor}'
        )
        cells = (
            f'<tr id="result-{result.pk}">\n<th scope="row" class="fw-normal text-nowrap">{label}</th>\n'
            f'<td class="numeric">{_escape(result.display_actual)}</td>\n<td>{result.rating_cell}</td>\n'
            f'<td class="small result-details">{result.details}</td>\n'
        )
        result.row_readonly = SafeString(f"{cells}</tr>")
        result.row = SafeString(f'{cells}<td class="small text-nowrap result-actions">{result.actions}</td>\n</tr>')
    return results


def data_rows(results: list[KpiResult]) -> SafeString:
    """The rows of a KPI's "Show the data" table, one per result (hundreds on a long-running KPI)."""
    return SafeString(
        "".join(
            f'<tr><th scope="row" class="fw-normal">{_escape(r.label)}</th><td class="numeric">'
            f"{_escape(r.display_actual)}</td><td>{_escape(r.get_effective_rating_display())}</td></tr>"
            for r in results
        )
    )


def _escape(value) -> str:
    """As conditional_escape: safe HTML as it is, anything else escaped."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _rating_cell(result: KpiResult) -> SafeString:
    badge = rating_badge(result.effective_rating)
    if not result.rating_override:
        return badge
    return SafeString(
        f'{badge}<span class="d-block small text-body-secondary">Overridden; calculated: '
        f"{_escape(result.get_rating_display())}</span>"
    )


def _details(result: KpiResult) -> SafeString:
    """The details cell: commentary, why the rating was overridden, the evidence, who recorded it and when."""
    parts = []
    if result.commentary:
        parts.append(f'<span class="d-block">{linebreaksbr(result.commentary, autoescape=True)}</span>')
    if result.rating_override:
        parts.append(f'<span class="d-block fst-italic">Why overridden: {_escape(result.override_reason)}</span>')
    if result.evidence:
        name = _escape(result.evidence_name or "download")
        parts.append(f'<span class="d-block">Evidence: <a href="{_escape(result.evidence_url)}">{name}</a></span>')
    parts.append(
        f'<span class="d-block text-body-secondary">{_escape(result.recorded_by)} · '
        f'<span class="text-nowrap">{_escape(result.updated_on)}</span></span>'
    )
    return SafeString("\n".join(parts))
