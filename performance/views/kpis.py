"""A contract's Performance page: its KPIs, the results due, recording, correcting and overriding
results (inline with htmx, or as plain forms without JavaScript), trends, a KPI's history, evidence.

Every lookup goes through the user's scope (an outsider gets 404); what a user may change is the
`rules` permission on the contract (performance/rules.py), refused with 403."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from contracts.documents import private_download
from contracts.models import Contract
from core import access
from core.audit import history_entries
from core.formatting import long_date
from performance import charts, services
from performance.forms.kpis import CorrectionForm, KpiForm, OverrideForm, ResultForm, add_service_errors, evidence_help
from performance.models import Kpi, KpiResult
from performance.periods import RESULT_DUE_DAYS
from performance.ratings import Rating

CONTRACT_RELATED = ("supplier", "oco", "sro")


class _SeeOther(HttpResponseRedirect):
    # After a POST, 303 tells every client to GET the page it is sent to.
    status_code = 303


# --- Scope first, then look up ---------------------------------------------------------------------


def _kpi_for(request, pk: int) -> Kpi:
    related = [f"contract__{name}" for name in CONTRACT_RELATED]
    return access.object_visible(request.user, Kpi.objects.select_related(*related), pk=pk)


def _result_for(request, pk: int) -> KpiResult:
    related = [f"kpi__contract__{name}" for name in CONTRACT_RELATED]
    results = KpiResult.objects.select_related("recorded_by", *related)
    return access.object_visible(request.user, results, through="kpi__contract", pk=pk)


def _reads_only(request) -> HttpResponse | None:
    """A page that only shows things answers 405 to a POST (after the scope check: outsiders get 404)."""
    if request.method in ("GET", "HEAD"):
        return None
    return HttpResponseNotAllowed(["GET", "HEAD"])


def _context(request, contract: Contract, **extra) -> dict:
    user = request.user
    return {
        "contract": contract,
        "tab": "performance",
        "can_edit": user.has_perm("contracts.change_contract", contract),
        "can_edit_operational": user.has_perm("contracts.change_contract_operational", contract),
        "can_define": user.has_perm("performance.define_kpis", contract),
        "can_record": user.has_perm("performance.record_results", contract),
        "ratings": Rating.values,
        "due_days": RESULT_DUE_DAYS,
        "evidence_help": evidence_help(),
        "oob": False,  # the out-of-band htmx responses say True (set here: an unknown name costs a logged lookup)
        **extra,
    }


def _page(contract: Contract) -> charts.PerformancePage:
    return charts.contract_performance(contract, today=timezone.localdate())


def _kpi_url(kpi: Kpi) -> str:
    return reverse("performance:contract", args=[kpi.contract_id]) + f"#kpi-{kpi.pk}"


# --- The Performance page ----------------------------------------------------------------------------


def contract_performance(request, pk: int):
    contract = access.object_visible(request.user, Contract.objects.for_page(), pk=pk)
    if (refused := _reads_only(request)) is not None:
        return refused
    return _render_page(request, contract, _page(contract))


def _render_page(request, contract: Contract, page: charts.PerformancePage, *, status: int = 200):
    return render(
        request, "performance/contract_performance.html", _context(request, contract, page=page), status=status
    )


# --- Defining KPIs -------------------------------------------------------------------------------------


def kpi_create(request, contract_pk: int):
    contract = access.object_visible(request.user, Contract.objects.for_page(), pk=contract_pk)
    return _kpi_form(request, contract, Kpi())


def kpi_edit(request, pk: int):
    kpi = _kpi_for(request, pk)
    return _kpi_form(request, kpi.contract, kpi)


def _kpi_form(request, contract: Contract, kpi: Kpi):
    access.require(request.user, "performance.define_kpis", contract)
    if request.method == "POST":
        form = KpiForm(request.POST, instance=kpi, contract=contract)
        if form.is_valid():
            created = kpi.pk is None
            kpi = services.kpi_save(kpi=form.instance, by=request.user)
            messages.success(request, f"{kpi.get_kind_display()} “{kpi.name}” {'defined' if created else 'saved'}.")
            return _SeeOther(_kpi_url(kpi))
    else:
        form = KpiForm(instance=kpi, contract=contract)
    return render(request, "performance/kpi_form.html", _context(request, contract, form=form, kpi=kpi))


def kpi_history(request, pk: int):
    """Every change to the KPI's definition and to its results: who, when, from what to what."""
    kpi = _kpi_for(request, pk)
    if (refused := _reads_only(request)) is not None:
        return refused
    entries = history_entries(
        Kpi.history.filter(id=kpi.pk),
        KpiResult.history.filter(kpi_id=kpi.pk),
        subject=_history_subject,
        hide=["contract", "kpi", "evidence", "period_end", "recorded_at"],
    )
    return render(request, "performance/kpi_history.html", _context(request, kpi.contract, kpi=kpi, entries=entries))


def _history_subject(instance) -> str:
    if isinstance(instance, KpiResult):
        return f"Result for {charts.period_label(instance.period_start, instance.period_end)}"
    return "KPI definition"


# --- Recording a period's result -----------------------------------------------------------------------


def _posted_start(form: ResultForm) -> date | None:
    if form.cleaned_data.get("period_start"):
        return form.cleaned_data["period_start"]
    try:
        return date.fromisoformat(form.data.get("period_start", ""))
    except ValueError:
        return None


def _record(request, kpi: Kpi, form: ResultForm) -> KpiResult | None:
    """The service records the result; a form posted for a period that has a result already (a stale
    page, another tab) is refused rather than silently overwriting it."""
    if not form.is_valid():
        return None
    start = form.cleaned_data["period_start"]
    try:
        with transaction.atomic():
            # The KPI's row lock (the service takes it too) orders this check with any other writer.
            Kpi.objects.select_for_update().filter(pk=kpi.pk).first()
            existing = KpiResult.objects.filter(kpi=kpi, period_start=start).select_related("recorded_by").first()
            if existing is not None:
                raise ValidationError(
                    {
                        "period_start": (
                            f"A result for {charts.period_label(existing.period_start, existing.period_end)} "
                            f"was recorded already ({charts.format_value(kpi, existing.actual)}, "
                            f"{existing.get_effective_rating_display()}, by {existing.recorded_by} on "
                            f"{long_date(timezone.localtime(existing.recorded_at))}). "
                            "Nothing was saved; to change it, correct it in the results table."
                        )
                    }
                )
            return services.kpi_result_record(
                kpi=kpi,
                period_start=start,
                actual=form.cleaned_data["actual"],
                commentary=form.cleaned_data["commentary"],
                evidence=form.cleaned_data["evidence"] or None,
                by=request.user,
            )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def result_record(request, pk: int):
    """POST the inline form of a due period. htmx gets the period's row back (with the result and its
    rating, or the errors next to the fields) and out-of-band updates of the chart, the results and
    the summary; without JavaScript the page is shown again (303 after success)."""
    kpi = _kpi_for(request, pk)
    contract = kpi.contract
    if request.method != "POST":
        return HttpResponseRedirect(_kpi_url(kpi))
    access.require(request.user, "performance.record_results", contract)
    form = ResultForm(request.POST, request.FILES)
    result = _record(request, kpi, form)
    start = result.period_start if result else _posted_start(form)
    if result is not None and not request.htmx:
        messages.success(
            request,
            f"{kpi.name}, {charts.period_label(result.period_start, result.period_end)}: "
            f"{charts.format_value(kpi, result.actual)} recorded, rated {result.get_effective_rating_display()}.",
        )
        return _SeeOther(_kpi_url(kpi))

    page = _page(contract)
    panel = page.panel_for(kpi.pk)
    row = next((r for r in panel.due if r.start == start), None) if start else None
    if result is not None:
        row = charts.DueRow(
            kpi=kpi, start=result.period_start, period=kpi.period_for(result.period_start), today=page.today
        )
        row.result = charts.decorate(kpi, result)
    elif row is not None:
        row.form = form
    elif request.htmx:
        # A period that is not (or no longer) due: answer in the row that posted it.
        period = kpi.period_for(start) if start else None
        row = charts.DueRow(kpi=kpi, start=start or page.today, period=period, today=page.today, form=form)
    else:
        panel.record_error = form

    context = _context(request, contract, page=page, panel=panel, row=row)
    if request.htmx:
        template = "performance/_record_response.html" if result else "performance/_due_row.html"
        return render(request, template, context)
    page.errors.append((panel, row))
    return _render_page(request, contract, page)


# --- The latest results of a KPI: correct, override -------------------------------------------------------


def kpi_results(request, pk: int):
    """The KPI's results block (htmx: "Cancel" of an inline correction)."""
    kpi = _kpi_for(request, pk)
    if (refused := _reads_only(request)) is not None:
        return refused
    if not request.htmx:
        return HttpResponseRedirect(_kpi_url(kpi))
    panel = _page(kpi.contract).panel_for(kpi.pk)
    return render(request, "performance/_kpi_results.html", _context(request, kpi.contract, panel=panel))


def result_correct(request, pk: int):
    """Correct a result: the period keeps its one result, with the new value; history keeps the old."""
    result = _result_for(request, pk)
    return _result_change(request, result, mode="correct")


def result_override(request, pk: int):
    """Rate a result differently from the calculation (Other included), with a reason."""
    result = _result_for(request, pk)
    return _result_change(request, result, mode="override")


def _result_change(request, result: KpiResult, *, mode: str):
    kpi = result.kpi
    contract = kpi.contract
    access.require(request.user, "performance.record_results", contract)
    form_class = CorrectionForm if mode == "correct" else OverrideForm
    form = form_class(request.POST or None, request.FILES or None, result=result)
    if request.method == "POST" and form.is_valid():
        try:
            if mode == "correct":
                result = services.kpi_result_record(
                    kpi=kpi,
                    period_start=result.period_start,
                    actual=form.cleaned_data["actual"],
                    commentary=form.cleaned_data["commentary"],
                    evidence=form.cleaned_data["evidence"] or None,
                    by=request.user,
                )
                value = charts.format_value(kpi, result.actual)
                done = f"corrected to {value}, rated {result.get_effective_rating_display()}"
            else:
                result = services.kpi_result_override(
                    result=result,
                    rating=form.cleaned_data["rating_override"],
                    reason=form.cleaned_data["override_reason"],
                    by=request.user,
                )
                calculated = result.get_rating_display()
                done = (
                    f"rated {result.get_effective_rating_display()} instead of the calculated {calculated}"
                    if result.rating_override
                    else f"rated as calculated: {calculated}"
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                label = charts.period_label(result.period_start, result.period_end)
                messages.success(request, f"{kpi.name}, {label}: {done}.")
                return _SeeOther(_kpi_url(kpi))
            page = _page(contract)
            context = _context(request, contract, page=page, panel=page.panel_for(kpi.pk))
            return render(request, "performance/_result_change_response.html", context)

    charts.decorate(kpi, result)
    if request.htmx:
        page = _page(contract)
        panel = page.panel_for(kpi.pk)
        if not any(r.pk == result.pk for r in panel.recent):
            # An older result than the table shows: its own page, by a full navigation.
            return HttpResponse(headers={"HX-Redirect": request.path})
        panel.editing = (result.pk, mode, form)
        return render(request, "performance/_kpi_results.html", _context(request, contract, panel=panel))
    context = _context(request, contract, kpi=kpi, result=result, form=form, mode=mode)
    return render(request, "performance/kpi_result_form.html", context)


def evidence_download(request, pk: int):
    """Evidence is served only here, after the contract's scope is checked; never cached."""
    result = _result_for(request, pk)
    if (refused := _reads_only(request)) is not None:
        return refused
    return private_download(result.evidence, filename=result.evidence_name or "evidence")
