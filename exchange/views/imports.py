"""Spreadsheet import of contracts: upload, preview, confirm, follow the progress."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core import access
from core.exports import attachment
from exchange.forms import ImportSuppliersForm, ImportUploadForm
from exchange.models import ImportJob
from exchange.resources import COLUMNS, REQUIRED_COLUMNS
from exchange.services import imports as services
from exchange.services.template import template_workbook

PREVIEW_ROWS_SHOWN = 200


def import_start(request):
    access.require(request.user, "exchange.import_contracts")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.import_job_create(upload=form.cleaned_data["file"], by=request.user)
        return redirect(job)
    jobs = ImportJob.objects.visible_to(request.user).select_related("created_by")[:10]
    return render(
        request,
        "exchange/imports/import_start.html",
        {"form": form, "jobs": jobs, "columns": COLUMNS, "required_columns": REQUIRED_COLUMNS},
    )


def _job_context(job: ImportJob, suppliers_form: ImportSuppliersForm | None = None) -> dict:
    rows = job.rows or []
    by_action = {action: [r for r in rows if r["action"] == action] for action in ("new", "update", "skip")}
    return {
        "job": job,
        "percent": int(100 * job.progress_done / job.progress_total) if job.progress_total else 0,
        "new_rows": by_action["new"][:PREVIEW_ROWS_SHOWN],
        "updated_rows": by_action["update"][:PREVIEW_ROWS_SHOWN],
        "skipped_rows": by_action["skip"][:PREVIEW_ROWS_SHOWN],
        "rows_shown": PREVIEW_ROWS_SHOWN,
        "suppliers_form": suppliers_form or ImportSuppliersForm(suppliers=job.suppliers),
    }


def import_detail(request, pk: int):
    access.require(request.user, "exchange.import_contracts")
    job = access.object_visible(request.user, ImportJob, pk=pk)
    context = _job_context(job)
    if request.htmx:
        return render(request, "exchange/imports/_job_status.html", context)
    return render(request, "exchange/imports/import_detail.html", context)


@require_POST
def import_confirm(request, pk: int):
    access.require(request.user, "exchange.import_contracts")
    job = access.object_visible(request.user, ImportJob, pk=pk)
    form = ImportSuppliersForm(request.POST, suppliers=job.suppliers)
    if not form.is_valid():
        # Each supplier left unanswered says so beside its choices.
        return render(request, "exchange/imports/import_detail.html", _job_context(job, form), status=400)
    try:
        job = services.import_job_confirm(job=job, supplier_choices=form.choices())
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(job)


def import_template(request, file_format: str):
    access.require(request.user, "exchange.import_contracts")
    if file_format not in ImportJob.Format.values:
        raise Http404("The template is a CSV or an XLSX file.")
    if file_format == "xlsx":
        response = HttpResponse(
            template_workbook(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(services.template_dataset().export("csv"), content_type="text/csv; charset=utf-8")
    return attachment(response, f"contract-import-template.{file_format}")
