"""The force's side of the supplier portal: inviting and suspending a supplier's contacts (on the
supplier's page), and verifying what a supplier submitted (the OCO's task)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from contracts.models import Escalation
from core import access
from performance.models import ImprovementNotice
from portal.forms import NoticeShareForm, ShareForm, VerifyForm
from portal.models import Figure, Submission
from portal.services import invitations, notices, submissions
from suppliers.models import SupplierContact


def _contact(request, pk: int) -> SupplierContact:
    return access.object_visible(
        request.user, SupplierContact.objects.select_related("supplier", "user"), through="supplier", pk=pk
    )


@require_POST
def invite(request, pk: int):
    contact = _contact(request, pk)
    access.require(request.user, "portal.invite_contact", contact)
    try:
        invitations.invitation_send(contact=contact, by=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{contact.name} is invited to the supplier portal: the link works for 72 hours.")
    return redirect(contact.supplier.get_absolute_url())


@require_POST
def suspend(request, pk: int):
    contact = _contact(request, pk)
    access.require(request.user, "portal.suspend_contact", contact)
    try:
        invitations.supplier_user_suspend(contact=contact, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{contact.name} can no longer sign in to the supplier portal.")
    return redirect(contact.supplier.get_absolute_url())


def submission(request, pk: int):
    """The OCO verifies each figure of a supplier's submission: accept it, or query it with a reason."""
    found = access.object_visible(
        request.user,
        Submission.objects.select_related("mi_report__contract", "submitted_by"),
        through="mi_report__contract",
        pk=pk,
    )
    contract = found.mi_report.contract
    can_verify = request.user.has_perm("performance.record_results", contract)
    errors: dict[int, list[str]] = {}
    if request.method == "POST":
        access.require(request.user, "performance.record_results", contract)
        form = VerifyForm(request.POST)
        figure = (
            found.figures.filter(pk=request.POST.get("figure", "")).first()
            if request.POST.get("figure", "").isdigit()
            else None
        )
        if figure is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == VerifyForm.ACCEPT:
                    submissions.figure_accept(figure=figure, by=request.user, commentary=data["commentary"])
                    messages.success(request, f"{figure.kpi.name}: accepted and recorded.")
                else:
                    submissions.figure_query(figure=figure, by=request.user, reason=data["reason"])
                    messages.success(request, f"{figure.kpi.name}: queried. The supplier is told.")
                return redirect("supplier_access:submission", pk=found.pk)
            except ValidationError as error:
                errors[figure.pk] = error.messages
        elif figure is None:
            messages.error(request, "Choose a figure to verify.")
    figures = found.figures.select_related("kpi", "result", "verified_by")
    context = {
        "submission": found,
        "contract": contract,
        "figures": [(f, errors.get(f.pk, [])) for f in figures],
        "can_verify": can_verify,
        "pending": Figure.Status.PENDING,
    }
    return render(request, "portal/staff/submission.html", context)


def escalation_share(request, pk: int):
    """Share an escalation with the supplier: what they are told and the date to reply by."""
    escalation = access.object_visible(request.user, Escalation.objects.select_related("contract"), pk=pk)
    access.require(request.user, "portal.share_escalation", escalation)
    initial = {"supplier_notice": escalation.supplier_notice, "supplier_respond_by": escalation.supplier_respond_by}
    form = ShareForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notices.escalation_share(
            escalation=escalation,
            notice=form.cleaned_data["supplier_notice"],
            respond_by=form.cleaned_data["supplier_respond_by"],
            by=request.user,
        )
        messages.success(request, "Shared with the supplier: their people are told.")
        return redirect(escalation.get_absolute_url())
    return render(request, "portal/staff/escalation_share.html", {"escalation": escalation, "form": form})


def improvement_notice_share(request, pk: int):
    """Share an improvement notice with the supplier, with the date to reply by (the cure period's end
    unless changed); shared already, change that date."""
    notice = access.object_visible(
        request.user, ImprovementNotice.objects.select_related("contract"), through="contract", pk=pk
    )
    access.require(request.user, "portal.share_improvement_notice", notice.contract)
    initial = {"supplier_respond_by": notice.supplier_respond_by or notice.cure_by}
    form = NoticeShareForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            notices.improvement_notice_share(
                notice=notice, respond_by=form.cleaned_data["supplier_respond_by"], by=request.user
            )
        except ValidationError as error:
            form.add_error("supplier_respond_by", error.message_dict.get("supplier_respond_by", error.messages))
        else:
            messages.success(request, "Shared with the supplier: their people are told.")
            return redirect(notice.get_absolute_url())
    return render(request, "portal/staff/improvement_notice_share.html", {"notice": notice, "form": form})
