import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_POST

from contracts.documents import private_download
from contracts.models import Activity, Contract
from contracts.selectors import timeline
from contracts.services import log
from core import access
from core.exports import attachment, safe_text
from core.formatting import long_date
from meetings import selectors, services
from meetings.calendar import calendar_bytes
from meetings.forms import ActionForm, ActivityForm, CadenceForm, MeetingForm
from meetings.models import Action, CalendarFeed, ContractMeetingPlan, Meeting
from meetings.schedule import Cadence


def _meeting_for(request, pk: int) -> Meeting:
    return access.object_visible(
        request.user, Meeting.objects.select_related("contract__supplier", "contract__oco"), pk=pk
    )


def _contract_context(request, contract: Contract, tab: str) -> dict:
    user = request.user
    return {
        "contract": contract,
        "tab": tab,
        "can_edit": user.has_perm("contracts.change_contract", contract),
        "can_edit_operational": user.has_perm("contracts.change_contract_operational", contract),
        "can_manage": user.has_perm("meetings.manage_meetings", contract),
    }


def contract_meetings(request, pk: int):
    """The contract's Meetings tab: when the next meeting is due, and every meeting."""
    contract = access.object_visible(request.user, Contract.objects.for_page(), pk=pk)
    meetings = list(contract.meetings.prefetch_related("actions").select_related("created_by").order_by("-starts_at"))
    now = timezone.now()
    plan = ContractMeetingPlan.objects.filter(contract=contract).first()
    context = _contract_context(request, contract, "meetings")
    context.update(
        schedule=selectors.contract_meeting_schedule(contract),
        cadence=Cadence(selectors.contract_cadence(contract)).label,
        cadence_is_default=not (plan and plan.cadence),
        upcoming=[m for m in reversed(meetings) if m.starts_at >= now],
        past=[m for m in meetings if m.starts_at < now],
        cadence_form=CadenceForm(instance=plan) if request.user.has_perm("meetings.set_cadence", contract) else None,
    )
    return render(request, "meetings/contract_meetings.html", context)


@require_POST
def cadence_set(request, pk: int):
    contract = access.object_visible(request.user, Contract.objects.for_page(), pk=pk)
    access.require(request.user, "meetings.set_cadence", contract)
    form = CadenceForm(request.POST)
    if form.is_valid():
        services.meeting_plan_set(contract=contract, cadence=form.cleaned_data["cadence"], by=request.user)
        messages.success(request, "Meeting cadence saved.")
    else:
        messages.error(request, "Choose one of the listed cadences.")
    return redirect("meetings:contract", pk=contract.pk)


class MeetingEditView(View):
    """Arrange a meeting (contract_pk) or edit one (pk)."""

    template_name = "meetings/meeting_form.html"

    def _load(self, request, **kwargs):
        if "pk" in kwargs:
            meeting = _meeting_for(request, kwargs["pk"])
            return meeting.contract, meeting
        return access.object_visible(request.user, Contract.objects.for_page(), pk=kwargs["contract_pk"]), None

    @staticmethod
    def _arranging(request, meeting) -> bool:
        """A new meeting is arranged ahead unless the person records one already held (?record=held)."""
        return meeting is None and request.GET.get("record") != "held"

    def _render(self, request, contract, meeting, form):
        context = _contract_context(request, contract, "meetings")
        arranging = self._arranging(request, meeting)
        context.update(
            form=form,
            meeting=meeting,
            arranging=arranging,
            schedule=selectors.contract_meeting_schedule(contract) if meeting is None else None,
        )
        return render(request, self.template_name, context)

    def get(self, request, **kwargs):
        contract, meeting = self._load(request, **kwargs)
        access.require(request.user, "meetings.manage_meetings", contract)
        form = MeetingForm(instance=meeting, contract=contract, arranging=self._arranging(request, meeting))
        return self._render(request, contract, meeting, form)

    def post(self, request, **kwargs):
        contract, meeting = self._load(request, **kwargs)
        access.require(request.user, "meetings.manage_meetings", contract)
        form = MeetingForm(
            request.POST,
            request.FILES,
            instance=meeting,
            contract=contract,
            arranging=self._arranging(request, meeting),
        )
        if not form.is_valid():
            return self._render(request, contract, meeting, form)
        meeting = services.meeting_save(
            meeting=form.instance,
            by=request.user,
            attendees=form.cleaned_data["attendees"],
            supplier_attendees=form.cleaned_data["supplier_attendees"],
            minutes_upload=form.cleaned_data.get("minutes_upload") or None,
        )
        note = " It is short notice: less than six months ahead." if meeting.is_short_notice else ""
        if meeting.lateness:
            note = f" It is {meeting.lateness_note}; the Procurement Unit has been told."
        messages.success(request, f"Meeting on {long_date(meeting.local_date)} saved.{note}")
        return redirect(meeting)


def meeting_detail(request, pk: int):
    meeting = _meeting_for(request, pk)
    contract = meeting.contract
    context = _contract_context(request, contract, "meetings")
    context.update(
        meeting=meeting,
        actions=meeting.actions.select_related("owner"),
        attendees=meeting.attendees.all(),
        supplier_attendees=meeting.supplier_attendees.all(),
        action_form=ActionForm(meeting=meeting) if context["can_manage"] else None,
    )
    return render(request, "meetings/meeting_detail.html", context)


def meeting_ics(request, pk: int):
    meeting = _meeting_for(request, pk)
    response = HttpResponse(
        calendar_bytes([meeting], name=f"Meeting {meeting.contract.reference}"), content_type="text/calendar"
    )
    return attachment(response, f"meeting-{meeting.contract.reference}-{meeting.pk}.ics")


def minutes_download(request, pk: int):
    meeting = _meeting_for(request, pk)
    if not meeting.minutes_file:
        raise Http404
    return private_download(meeting.minutes_file, filename=meeting.minutes_file_name or "minutes")


class ActionEditView(View):
    """Add an action to a meeting (meeting_pk) or edit one (pk)."""

    def _load(self, request, **kwargs):
        if "pk" in kwargs:
            action = access.object_visible(
                request.user, Action.objects.select_related("meeting__contract"), through="meeting", pk=kwargs["pk"]
            )
            return action.meeting, action
        return _meeting_for(request, kwargs["meeting_pk"]), None

    def _render(self, request, meeting, action, form):
        context = _contract_context(request, meeting.contract, "meetings")
        context.update(form=form, meeting=meeting, action=action)
        return render(request, "meetings/action_form.html", context)

    def get(self, request, **kwargs):
        meeting, action = self._load(request, **kwargs)
        access.require(request.user, "meetings.manage_meetings", meeting.contract)
        return self._render(request, meeting, action, ActionForm(instance=action, meeting=meeting))

    def post(self, request, **kwargs):
        meeting, action = self._load(request, **kwargs)
        access.require(request.user, "meetings.manage_meetings", meeting.contract)
        form = ActionForm(request.POST, instance=action, meeting=meeting)
        if not form.is_valid():
            return self._render(request, meeting, action, form)
        services.action_save(action=form.instance, by=request.user)
        messages.success(request, "Action saved.")
        return redirect(meeting)


LOG_PAGE_SIZE = 50


def _log_kind(request) -> str:
    """The kind or group of kinds the log is filtered by: a known one, else every kind."""
    return timeline.kind_filter(request.GET.get("kind", ""))


def _log_record(request, contract: Contract, form: ActivityForm) -> str:
    """Save a typed entry; "Escalation to Procurement" raises a real escalation. Returns the message."""
    data = form.cleaned_data
    if form.is_escalation:
        access.require(request.user, "contracts.raise_escalation", contract)
        escalation = log.escalation_from_log(
            contract=contract,
            summary=data["summary"],
            details=data["details"],
            occurred_on=data["occurred_on"],
            source=data["source"],
            severity=data["severity"],
            by=request.user,
        )
        return f"Escalation “{escalation.title}” raised with the Procurement Unit."
    log.typed_entry_record(activity=form.instance, by=request.user, attachment=data.get("attachment_upload"))
    return f"{form.instance.get_kind_display()} recorded."


def contract_log(request, pk: int):
    """The contract administration log: its timeline, filterable by kind; typed entries for owners."""
    contract = access.object_visible(request.user, Contract.objects.for_page(), pk=pk)
    kind = _log_kind(request)
    context = _contract_context(request, contract, "log")
    form = None
    if context["can_manage"]:
        form = ActivityForm(contract=contract)
        if request.method == "POST":
            form = ActivityForm(request.POST, request.FILES, contract=contract)
            if form.is_valid():
                messages.success(request, _log_record(request, contract, form))
                return redirect("meetings:log", pk=contract.pk)
    elif request.method == "POST":
        raise PermissionDenied
    page = Paginator(selectors.contract_timeline(contract, kind=kind), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        entries=page.object_list,
        page_obj=page,
        kind=kind,
        kinds=timeline.kind_filter_choices(),
        form=form,
    )
    return render(request, "meetings/contract_log.html", context)


def contract_log_csv(request, pk: int):
    contract = access.object_visible(request.user, Contract.objects.for_page(), pk=pk)
    kind = _log_kind(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    attachment(response, f"{contract.reference}-administration-log.csv")
    response.write("\ufeff")  # Excel opens UTF-8 with a byte-order mark correctly
    writer = csv.writer(response)
    writer.writerow(["Date", "Kind", "Summary", "Details", "Recorded by", "Link"])
    for entry in selectors.contract_timeline(contract, kind=kind):
        writer.writerow(
            [
                entry.date.strftime("%d/%m/%Y"),
                entry.kind_label,
                safe_text(entry.summary),
                safe_text(entry.details),
                entry.who,
                request.build_absolute_uri(entry.url) if entry.url else "",
            ]
        )
    return response


def activity_attachment(request, pk: int):
    activity = access.object_visible(request.user, Activity, pk=pk)
    if not activity.attachment:
        raise Http404
    return private_download(activity.attachment, filename=activity.attachment_name or "attachment")


def calendar_settings(request):
    """The user's private calendar feed address: create, renew, revoke."""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(user=request.user)
            messages.success(request, "Your calendar feed address no longer works.")
        else:
            services.calendar_feed_renew(user=request.user)
            messages.success(request, "Your new calendar feed address is ready; any old address no longer works.")
        return redirect("meetings:calendar")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "meetings/calendar_settings.html",
        {"feed": feed, "feed_url": request.build_absolute_uri(feed.get_absolute_url()) if feed else ""},
    )


@login_not_required
def calendar_feed(request, token: str):
    """Calendar programs cannot sign in: the private token is the key, and revoking it ends access."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token, user__is_active=True)
    meetings = selectors.user_meetings(feed.user)
    response = HttpResponse(
        calendar_bytes(meetings, name="My supplier meetings"), content_type="text/calendar; charset=utf-8"
    )
    # The feed is one person's: no shared cache keeps it (config/logging.py keeps its token out of the logs).
    response["Cache-Control"] = "private, no-store"
    return response
