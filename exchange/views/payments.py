"""Invoice payments (Procurement Act 2023, sections 68 and 69): the import of the finance system's export,
the invoices left to match, the contracts and suppliers paid late, and a contract's payment panel.

The Procurement Unit's and administrators' pages (403 for anyone else); the contract's panel follows the
contract's own scope (404 outside it). The import runs as the spreadsheet import does (its job page)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from contracts.models import Contract
from core import access
from core.exports import attachment
from core.formatting import long_date
from exchange.forms import ImportUploadForm, InvoiceMatchForm, PaymentComplianceApprovalForm, PaymentPeriodForm
from exchange.models import ImportJob, Invoice, PaymentComplianceApproval
from exchange.payments import notice_due_on, quarters, reporting_periods
from exchange.selectors import payments as selectors
from exchange.services import imports
from exchange.services import invoices as services
from exchange.services.invoice_import import INVOICE_COLUMNS, INVOICE_REQUIRED_COLUMNS, invoice_template
from exchange.views import notices as notice_exports

ROWS_PER_PAGE = 50


def invoice_import_start(request):
    access.require(request.user, "exchange.import_invoices")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = imports.import_job_create(upload=form.cleaned_data["file"], by=request.user, kind=ImportJob.Kind.INVOICES)
        return redirect(job)
    jobs = ImportJob.objects.visible_to(request.user).filter(kind=ImportJob.Kind.INVOICES).select_related("created_by")
    return render(
        request,
        "exchange/payments/import_start.html",
        {
            "form": form,
            "jobs": jobs[:10],
            "columns": INVOICE_COLUMNS,
            "required_columns": INVOICE_REQUIRED_COLUMNS,
            "nav": "data",
        },
    )


def invoice_template_download(request, file_format: str):
    access.require(request.user, "exchange.import_invoices")
    if file_format not in ImportJob.Format.values:
        raise Http404("The template is a CSV or an XLSX file.")
    dataset = invoice_template()
    if file_format == "xlsx":
        response = HttpResponse(
            dataset.export("xlsx"), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = HttpResponse(dataset.export("csv"), content_type="text/csv; charset=utf-8")
    return attachment(response, f"invoice-import-template.{file_format}")


def invoices_unmatched(request):
    access.require(request.user, "exchange.import_invoices")
    invoices = Invoice.objects.unmatched().select_related("supplier").order_by("supplier__name", "received_on", "pk")
    page = Paginator(invoices, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    contracts_by_supplier: dict[int, list[Contract]] = {}
    for contract in Contract.objects.filter(supplier__in={i.supplier_id for i in rows}).order_by("reference"):
        contracts_by_supplier.setdefault(contract.supplier_id, []).append(contract)
    for invoice in rows:
        invoice.contract_choices = contracts_by_supplier.get(invoice.supplier_id, [])
    return render(request, "exchange/payments/unmatched.html", {"page": page, "invoices": rows, "nav": "data"})


@require_POST
def invoice_match(request, pk: int):
    access.require(request.user, "exchange.import_invoices")
    invoice = access.object_visible(request.user, Invoice.objects.unmatched(), pk=pk)
    form = InvoiceMatchForm(request.POST, contracts=Contract.objects.filter(supplier=invoice.supplier_id))
    if form.is_valid():
        try:
            services.invoice_match(invoice=invoice, contract=form.cleaned_data["contract"], by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"{invoice} is matched to {form.cleaned_data['contract'].reference}.")
    else:
        messages.error(request, f"{invoice}: choose one of the supplier's contracts.")
    return redirect("payments:unmatched")


def _period(request) -> tuple[PaymentPeriodForm, tuple]:
    start, end = selectors.default_period(timezone.localdate())
    form = PaymentPeriodForm(request.GET or None, initial={"start": start, "end": end})
    if request.GET and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return form, (start, end)


def payments_late(request):
    access.require(request.user, "exchange.view_payments")
    form, (start, end) = _period(request)
    context = {
        "form": form,
        "start": start,
        "end": end,
        "figures": Invoice.objects.payment_figures(start=start, end=end),
        "contracts": selectors.paid_late(start=start, end=end, by="contract"),
        "suppliers": selectors.paid_late(start=start, end=end, by="supplier"),
        "unmatched": Invoice.objects.unmatched().count(),
        "nav": "data",
    }
    return render(request, "exchange/payments/late.html", context)


def contract_payments(request, pk: int):
    """The contract page's panel (loaded into it by htmx), or a page of its own."""
    contract = access.object_visible(request.user, Contract.objects.all(), pk=pk)
    start, end = selectors.default_period(timezone.localdate())
    context = {
        "contract": contract,
        "start": start,
        "end": end,
        **selectors.contract_payments(contract=contract, start=start, end=end),
    }
    if request.htmx:
        return render(request, "exchange/payments/_contract_panel.html", context)
    return render(request, "exchange/payments/contract.html", context)


COMPLIANCE_FIELDS = [
    "period_start",
    "period_end",
    "due_on",
    "invoices",
    "within_30_percent",
    "within_60_percent",
    "over_60_percent",
    "average_days",
    "approver_name",
    "approver_role",
    "approved_on",
]


def payments_compliance(request):
    """The figures of each section 69 payments compliance notice, with its due date; CSV or JSON by `?format=`."""
    access.require(request.user, "exchange.view_payments")
    periods = selectors.compliance_periods(today=timezone.localdate())
    approvals = {a.period_start: a for a in PaymentComplianceApproval.objects.all()}
    for period in periods:
        approval = approvals.get(period["period_start"])
        period["approver_name"] = approval.approver_name if approval else ""
        period["approver_role"] = approval.approver_role if approval else ""
        period["approved_on"] = approval.approved_on if approval else None
    rows = [{field: _plain(period[field]) for field in COMPLIANCE_FIELDS} for period in periods if period["ended"]]
    exported = notice_exports._export(request, name="payments-compliance", rows=rows, fields=COMPLIANCE_FIELDS)
    if exported is not None:
        return exported
    return render(
        request,
        "exchange/payments/compliance.html",
        {"periods": periods, "form": PaymentComplianceApprovalForm(), "nav": "data"},
    )


@require_POST
def compliance_approve(request, period_start: str):
    """Record who approved an ended period's notice; the form's errors are shown on the list."""
    access.require(request.user, "exchange.view_payments")
    periods = {p[0].isoformat(): p for p in reporting_periods(today=timezone.localdate())}
    period = periods.get(period_start)
    if period is None or period[1] >= timezone.localdate():
        raise Http404("No ended reporting period begins that day.")
    form = PaymentComplianceApprovalForm(request.POST)
    if form.is_valid():
        services.compliance_approval_save(period_start=period[0], by=request.user, **form.cleaned_data)
        messages.success(request, f"The approval of the notice for the period from {long_date(period[0])} is recorded.")
    else:
        problems = "; ".join(f"{form.fields[f].label}: {e[0]}" for f, e in form.errors.items() if f in form.fields)
        messages.error(request, f"The approval was not recorded. {problems or 'Check the fields.'}")
    return redirect("payments:compliance")


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def payments_large(request):
    """Section 70: the payments over £30,000 of one quarter (`?quarter=2026-04-01`, else the latest that
    has ended), as a page, or as CSV or JSON by `?format=`."""
    access.require(request.user, "exchange.view_payments")
    today = timezone.localdate()
    all_quarters = quarters(today=today)
    ended = [q for q in all_quarters if q[1] < today]
    wanted = request.GET.get("quarter", "")
    chosen = next((q for q in all_quarters if q[0].isoformat() == wanted), ended[0] if ended else None)
    invoices = selectors.large_payments(start=chosen[0], end=chosen[1]) if chosen else []
    if chosen:
        # The CSV is in the layout of Find a Tender's upload; the JSON keeps the register's own fields.
        if request.GET.get("format") == "csv":
            rows, fields = selectors.upload_rows(invoices), selectors.UPLOAD_COLUMNS
        else:
            rows, fields = selectors.large_payment_rows(invoices), LARGE_PAYMENT_FIELDS
        name = f"payments-over-30000-{chosen[0]:%Y-%m}"
        exported = notice_exports._export(request, name=name, rows=rows, fields=fields)
        if exported is not None:
            return exported
    context = {
        "quarters": all_quarters,
        "chosen": chosen,
        "due_on": notice_due_on(chosen[1]) if chosen else None,
        "invoices": invoices,
        "without_ocid": sum(1 for invoice in invoices if invoice.contract and not invoice.contract.find_a_tender_ocid),
        "nav": "data",
    }
    return render(request, "exchange/payments/large.html", context)


LARGE_PAYMENT_FIELDS = [
    "contract_reference",
    "contract_title",
    "find_a_tender_ocid",
    "supplier_name",
    "supplier_companies_house_number",
    "invoice_number",
    "payment_date",
    "amount_including_vat",
]
