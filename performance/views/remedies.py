"""The contract's remedies: improvement notices and their cure periods, service credits and
deductions, breaches and their outcomes, and when section 72 asks for a contract performance notice.
Scope first (404 outside it), then `rules`: the contract's OCO and the Procurement Unit record,
its SRO reads; the Procurement Unit records a section 72 notice as published."""

from typing import cast

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from contracts.documents import private_download
from contracts.forms.lifecycle import PublishedOnForm
from contracts.models import Contract
from core import access
from core.formatting import long_date
from performance import services
from performance.forms.remedies import (
    BreachForm,
    BreachOutcomeForm,
    ImprovementNoticeForm,
    ImprovementNoticeOutcomeForm,
    ServiceCreditForm,
)
from performance.models import Breach, ImprovementNotice, ImprovementNoticeReply, ServiceCredit

RECORD = "performance.record_remedies"
PUBLISH = "performance.publish_remedy_notices"


def _contract(request, pk: int) -> Contract:
    return access.object_visible(request.user, Contract.objects.select_related("supplier", "oco", "sro"), pk=pk)


def _context(request, contract: Contract, **extra) -> dict:
    return {
        "contract": contract,
        "tab": "performance",
        "can_record": request.user.has_perm(RECORD, contract),
        "can_publish": request.user.has_perm(PUBLISH, contract),
        "today": timezone.localdate(),
        **extra,
    }


def contract_remedies(request, pk: int):
    """Everything the force has done under the contract's remedies, newest first."""
    contract = _contract(request, pk)
    context = _context(
        request,
        contract,
        improvement_notices=list(contract.improvement_notices.select_related("plan__kpi")),
        credits=list(ServiceCredit.objects.filter(contract=contract).select_related("kpi")),
        breaches=list(contract.breaches.all()),
    )
    for remedy in [*context["improvement_notices"], *context["breaches"]]:
        remedy.contract = contract  # their section 72 properties read the contract's regime
    return render(request, "performance/remedies/contract_remedies.html", context)


def _form_page(request, contract: Contract, *, form, template: str, heading: str, intro: str, submit: str):
    context = _context(request, contract, form=form, heading=heading, intro=intro, submit=submit)
    return render(request, template, context)


def improvement_notice_create(request, pk: int):
    contract = _contract(request, pk)
    access.require(request.user, RECORD, contract)
    initial = {"plan": request.GET.get("plan")} if request.GET.get("plan", "").isdigit() else {}
    form = ImprovementNoticeForm(request.POST or None, contract=contract, initial=initial)
    if request.method == "POST" and form.is_valid():
        notice = services.improvement_notice_issue(notice=form.instance, by=request.user)
        messages.success(request, f"Improvement notice recorded: cure period to {long_date(notice.cure_by)}.")
        return redirect(notice)
    return _form_page(
        request,
        contract,
        form=form,
        template="performance/remedies/remedy_form.html",
        heading="Record an improvement notice",
        intro="The formal notice that the supplier is not performing to the force's satisfaction, and the "
        "cure period it has to improve: the proper opportunity to improve a later notice of a failure rests on.",
        submit="Record the notice",
    )


def improvement_notice(request, pk: int):
    notices = ImprovementNotice.objects.select_related("contract__supplier", "plan__kpi", "recorded_by")
    notice = access.object_visible(request.user, notices, through="contract", pk=pk)
    contract = notice.contract
    can_record = request.user.has_perm(RECORD, contract)
    form = ImprovementNoticeOutcomeForm(request.POST or None, instance=notice) if can_record else None
    if request.method == "POST":
        access.require(request.user, RECORD, contract)
        assert form is not None
        if form.is_valid():
            notice = services.improvement_notice_decide(notice=form.instance, by=request.user)
            messages.success(request, f"Outcome saved: {notice.get_outcome_display().lower()}.")
            return redirect(notice)
        notice.refresh_from_db()  # the page shows what is saved; the form keeps what was typed
    context = _context(
        request,
        contract,
        remedy=notice,
        form=form,
        kind="improvement-notice",
        replies=list(notice.supplier_replies.select_related("author")),
        can_share=request.user.has_perm("portal.share_improvement_notice", contract),
    )
    return render(request, "performance/remedies/improvement_notice.html", context)


def improvement_notice_reply_attachment(request, pk: int):
    """The attachment of a supplier's reply, served only here after the contract's scope is checked."""
    replies = ImprovementNoticeReply.objects.select_related("notice")
    reply = access.object_visible(request.user, replies, through="notice__contract", pk=pk)
    return private_download(reply.attachment, filename=reply.attachment_name or "attachment")


def service_credit_create(request, pk: int):
    contract = _contract(request, pk)
    access.require(request.user, RECORD, contract)
    form = ServiceCreditForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        credit = services.service_credit_record(credit=form.instance, by=request.user)
        messages.success(request, f"{credit} recorded.")
        return redirect(credit)
    return _form_page(
        request,
        contract,
        form=form,
        template="performance/remedies/remedy_form.html",
        heading="Record a service credit or deduction",
        intro="Against the KPI's reporting period it is for, with the invoice or credit note it appears on.",
        submit="Record it",
    )


def breach_create(request, pk: int):
    contract = _contract(request, pk)
    access.require(request.user, RECORD, contract)
    form = BreachForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        breach = services.breach_record(breach=form.instance, by=request.user)
        messages.success(request, "Breach recorded. Record its outcome here once it is decided.")
        return redirect(breach)
    return _form_page(
        request,
        contract,
        form=form,
        template="performance/remedies/remedy_form.html",
        heading="Record a breach of contract",
        intro="A breach by the supplier. When it results in termination, partial termination, damages or a "
        "settlement, a contract performance notice is due within 30 days (Procurement Act 2023, section 72).",
        submit="Record the breach",
    )


def breach(request, pk: int):
    breaches = Breach.objects.select_related("contract__supplier", "recorded_by")
    breach = access.object_visible(request.user, breaches, through="contract", pk=pk)
    contract = breach.contract
    can_record = request.user.has_perm(RECORD, contract)
    form = BreachOutcomeForm(request.POST or None, instance=breach) if can_record else None
    if request.method == "POST":
        access.require(request.user, RECORD, contract)
        assert form is not None
        if form.is_valid():
            breach = services.breach_decide(breach=form.instance, by=request.user)
            messages.success(request, f"Outcome saved: {breach.get_outcome_display().lower()}.")
            return redirect(breach)
        breach.refresh_from_db()
    context = _context(
        request,
        contract,
        remedy=breach,
        form=form,
        kind="breach",
    )
    return render(request, "performance/remedies/breach.html", context)


MODELS: dict[str, type[ImprovementNotice] | type[Breach]] = {"improvement-notice": ImprovementNotice, "breach": Breach}


def remedy_notice(request, kind: str, pk: int):
    """Record the day the section 72 contract performance notice was published: the Procurement Unit."""
    model = MODELS.get(kind)
    if model is None:
        raise Http404("No such remedy")
    remedy = cast(
        ImprovementNotice | Breach,
        access.object_visible(request.user, model.objects.select_related("contract"), through="contract", pk=pk),
    )
    contract = remedy.contract
    access.require(request.user, PUBLISH, contract)
    if remedy.notice_due_by is None:
        raise Http404("Section 72 asks for no contract performance notice here")
    assert remedy.outcome_on is not None
    form = PublishedOnForm(
        request.POST or None,
        earliest=remedy.outcome_on,
        earliest_text=f"the outcome was decided ({long_date(remedy.outcome_on)})",
        initial={"published_on": remedy.notice_published_on or timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["published_on"]
        services.remedy_notice_published(remedy=remedy, on=day, by=request.user)
        messages.success(request, f"Contract performance notice recorded as published on {long_date(day)}.")
        return redirect("exchange:failure_notices" if request.POST.get("next") == "list" else remedy)
    context = _context(
        request,
        contract,
        form=form,
        heading="Contract performance notice (section 72)",
        intro=f"Due by {long_date(remedy.notice_due_by)}: {remedy}.",
        submit="Record the publication",
    )
    return render(request, "performance/remedies/remedy_form.html", context)
