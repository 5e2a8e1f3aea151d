"""The supplier portal's pages, for a supplier's person only (anyone else: 403). Every object is
looked up in their scope (portal.scope): another supplier's answers 404."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator

from contracts.documents import private_download
from core.exports import attachment
from meetings.calendar import calendar_bytes
from portal import scope, selectors
from portal.forms import FiguresForm, PasswordChangeForm, ReplyForm, WelcomeForm
from portal.models import Figure
from portal.services import invitations, notices, submissions


def supplier_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not scope.is_portal_user(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@supplier_only
def home(request):
    return render(request, "portal/home.html", {**selectors.home(request.user), "nav": "home"})


@supplier_only
def contract(request, pk: int):
    found = get_object_or_404(scope.contracts(request.user).select_related("supplier"), pk=pk)
    return render(request, "portal/contract.html", {**selectors.contract_page(request.user, found), "nav": "home"})


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error)


@supplier_only
def report(request, pk: int):
    """An MI report: submit it (the file and a figure per KPI), see what the OCO made of each figure,
    and answer the queried ones."""
    mi_report = get_object_or_404(scope.mi_reports(request.user).select_related("contract"), pk=pk)
    submission = mi_report.submissions.first()
    figures = list(submission.figures.select_related("kpi", "result")) if submission else []
    queried = [f for f in figures if f.status == Figure.Status.QUERIED]
    # First the KPIs of the period; once submitted, the queried ones to answer.
    kpis = [kpi for kpi, _ in submissions.kpis_to_report(mi_report)] if submission is None else [f.kpi for f in queried]
    form = None
    if kpis:
        form = FiguresForm(request.POST or None, request.FILES or None, kpis=kpis, with_file=submission is None)
        if request.method == "POST" and form.is_valid():
            try:
                if submission is None:
                    submissions.submission_make(
                        report=mi_report, by=request.user, upload=form.cleaned_data["file"], entries=form.entries()
                    )
                    messages.success(request, "Your MI report is submitted. The contract owner will verify it.")
                else:
                    submissions.submission_resubmit(submission=submission, by=request.user, entries=form.entries())
                    messages.success(request, "Your corrected figures are submitted.")
                return redirect("portal:report", pk=mi_report.pk)
            except ValidationError as error:
                _add_errors(form, error)
    elif request.method == "POST":
        return redirect("portal:report", pk=mi_report.pk)
    context = {"report": mi_report, "submission": submission, "figures": figures, "form": form, "nav": "home"}
    return render(request, "portal/report.html", context)


@supplier_only
def document(request, pk: int, document_pk: int):
    """A document the OCO shared with the supplier (its current version), from their own contract only."""
    found = get_object_or_404(scope.documents(request.user), contract=pk, pk=document_pk)
    return private_download(found.file, filename=found.original_name, content_type=found.content_type)


@supplier_only
def meeting_ics(request, pk: int):
    meeting = get_object_or_404(scope.meetings(request.user).select_related("contract__supplier"), pk=pk)
    response = HttpResponse(
        calendar_bytes([meeting], name=f"Meeting {meeting.contract.reference}"), content_type="text/calendar"
    )
    return attachment(response, f"meeting-{meeting.contract.reference}-{meeting.pk}.ics")


@supplier_only
def notice(request, pk: int):
    """An escalation shared with the supplier: what they are told, the date to reply by, their replies."""
    escalation = get_object_or_404(scope.notices(request.user).select_related("contract"), pk=pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            notices.notice_reply(
                escalation=escalation,
                by=request.user,
                text=form.cleaned_data["text"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Your reply is sent.")
            return redirect("portal:notice", pk=escalation.pk)
    replies = scope.replies(request.user, escalation).select_related("author")
    return render(request, "portal/notice.html", {"escalation": escalation, "replies": replies, "form": form})


@supplier_only
def notice_attachment(request, pk: int):
    """The attachment of one of their organisation's replies to an escalation shared with them."""
    reply = get_object_or_404(scope.escalation_replies(request.user), pk=pk)
    return private_download(reply.attachment, filename=reply.attachment_name or "attachment")


@supplier_only
def improvement_notice(request, pk: int):
    """An improvement notice shared with the supplier: what they fail to do, what they must do, the cure
    period and the reply-by date; their organisation's replies, and a form to reply (after the date too:
    the reply is marked late)."""
    notice = get_object_or_404(scope.improvement_notices(request.user).select_related("contract"), pk=pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            notices.improvement_notice_reply(
                notice=notice,
                by=request.user,
                text=form.cleaned_data["text"],
                attachment=form.cleaned_data["attachment"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Your reply is sent to the contract owner.")
            return redirect("portal:improvement_notice", pk=notice.pk)
    context = {
        "notice": notice,
        "replies": scope.notice_replies(request.user).filter(notice=notice).select_related("author"),
        "past_reply_by": notice.reply_late(timezone.localdate()),
        "form": form,
        "nav": "home",
    }
    return render(request, "portal/improvement_notice.html", context)


@supplier_only
def improvement_notice_attachment(request, pk: int):
    """The attachment of one of their organisation's replies to an improvement notice."""
    reply = get_object_or_404(scope.notice_replies(request.user), pk=pk)
    return private_download(reply.attachment, filename=reply.attachment_name or "attachment")


@method_decorator(supplier_only, name="dispatch")
class PasswordChange(auth_views.PasswordChangeView):
    """Django's password change, in the portal's layout (the 12-character minimum of the invitation)."""

    form_class = PasswordChangeForm
    template_name = "portal/password_change.html"
    success_url = reverse_lazy("portal:home")
    extra_context = {"nav": "password"}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is changed.")
        return response


@login_not_required
def welcome(request, key: str):
    """The invitation's link: choose a password, then (the middleware asks) set up the authenticator app."""
    now = timezone.now()
    invitation = invitations.invitation_open(key=key, now=now)
    if invitation is None:
        return render(request, "portal/welcome_gone.html", status=404)
    form = WelcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.invitation_accept(key=key, password=form.cleaned_data["password1"], now=now)
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            login(request, user, backend="accounts.backends.ModelBackend")
            messages.success(request, "Your password is set. Now set up your authenticator app.")
            return redirect("portal:home")
    return render(request, "portal/welcome.html", {"form": form, "invitation": invitation})
