"""OCDS pages: upload a package, preview what it would do, confirm; export the register as JSON.

The upload is kept between preview and confirm as a file under MEDIA_ROOT with a random name
(never served), and only that name is kept in the session.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from contracts.filters import ContractFilter
from contracts.models import Contract
from core import access
from core.exports import attachment
from exchange.forms import OcdsUploadForm
from exchange.selectors import ocds_export as exporter
from exchange.services import ocds_import as importer
from exchange.services import ocds_read as reader

SESSION_KEY = "ocds_import_file"
UPLOAD_DIR = "ocds-imports"
SAMPLE_ROWS = 25


def _stored_path(request) -> Path | None:
    name = request.session.get(SESSION_KEY, "")
    # Only a name this view made: 32 hex digits, nothing that walks out of the folder.
    if len(name) != 32 or not all(c in "0123456789abcdef" for c in name):
        return None
    path = Path(settings.MEDIA_ROOT) / UPLOAD_DIR / f"{name}.json"
    return path if path.is_file() else None


def _discard(request) -> None:
    path = _stored_path(request)
    if path is not None:
        path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)


@require_http_methods(["GET", "POST"])
def import_upload(request):
    access.require(request.user, "exchange.import_ocds")
    bound = request.method == "POST"
    form = OcdsUploadForm(request.POST if bound else None, request.FILES if bound else None)
    if request.method == "POST" and form.is_valid():
        _discard(request)
        name = uuid.uuid4().hex
        folder = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / f"{name}.json", "wb") as out:
            for chunk in form.cleaned_data["file"].chunks():
                out.write(chunk)
        request.session[SESSION_KEY] = name
        return redirect("ocds:import_preview")
    return render(request, "exchange/ocds/import_upload.html", {"form": form}, status=400 if form.errors else 200)


def _plan(request, include_buyers: list[str]):
    path = _stored_path(request)
    if path is None:
        return None
    try:
        return importer.build_plan(reader.load_package(path.read_bytes()), include_buyers=set(include_buyers))
    except reader.OcdsError:
        return None


def _included(data) -> list[str]:
    """The other buyers the user chose to import too (keys of the preview's choices), at most a few hundred."""
    return [key[:300] for key in data.getlist("include")[:500] if key]


@require_http_methods(["GET"])
def import_preview(request):
    access.require(request.user, "exchange.import_ocds")
    included = _included(request.GET)
    plan = _plan(request, included)
    if plan is None:
        messages.warning(request, "Upload an OCDS file first.")
        return redirect("ocds:import")
    context = {
        "plan": plan,
        "sample": [
            (item, importer.field_labels(item.changes), importer.field_labels(item.kept))
            for item in plan.contracts[:SAMPLE_ROWS]
        ],
        "skipped": sorted(plan.skipped.items()),
        "other_buyers": list(plan.other_buyers.values()),
        "included": [b.key for b in plan.other_buyers.values() if b.included],
    }
    return render(request, "exchange/ocds/import_preview.html", context)


@require_POST
def import_confirm(request):
    access.require(request.user, "exchange.import_ocds")
    if "cancel" in request.POST:
        _discard(request)
        messages.info(request, "The OCDS import was cancelled; nothing was saved.")
        return redirect("ocds:import")
    plan = _plan(request, _included(request.POST))
    if plan is None:
        messages.warning(request, "Upload an OCDS file first.")
        return redirect("ocds:import")
    try:
        result = importer.apply_plan(plan, by=request.user)
    except importer.OcdsError as exc:
        messages.error(request, f"Nothing was imported: {exc}")
        return redirect("ocds:import_preview")
    _discard(request)
    messages.success(
        request,
        ngettext(
            "OCDS import: %(count)d draft contract created",
            "OCDS import: %(count)d draft contracts created",
            result.created,
        )
        % {"count": result.created}
        + f", {result.updated} updated, {result.unchanged} unchanged, "
        + ngettext("%(count)d supplier created", "%(count)d suppliers created", result.suppliers_created)
        % {"count": result.suppliers_created}
        + f", {sum(result.skipped.values())} skipped.",
    )
    return redirect(f"{reverse('contracts:list')}?status=draft")


@require_http_methods(["GET"])
def export(request):
    """The register, filtered as the list is, as an OCDS 1.1 release package."""
    access.require(request.user, "exchange.export_ocds")
    queryset = Contract.objects.visible_to(request.user)
    filterset = ContractFilter(request.GET or None, queryset=queryset)
    if filterset.is_bound and not filterset.is_valid():
        return JsonResponse({"errors": filterset.errors.get_json_data()}, status=400)
    contracts = list(exporter.contracts_for_export(filterset.qs))
    milestones = exporter.milestones_by_contract([c.pk for c in contracts])
    package = exporter.release_package(contracts, uri=request.build_absolute_uri(), milestones=milestones)
    response = JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 1})
    return attachment(response, f"register-{timezone.localdate():%Y-%m-%d}.ocds.json")
