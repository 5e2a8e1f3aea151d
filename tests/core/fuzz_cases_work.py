"""The form fuzz cases of the day-to-day work: meetings and the administration log, KPIs and their
results, milestones, MI reports, notification preferences, the password and signing in."""

from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.urls import reverse

from contracts.models import Activity
from meetings.forms import ActionForm, ActivityForm, CadenceForm, MeetingForm
from notifications.forms import NotificationPreferencesForm
from performance.forms.kpis import CorrectionForm, ImprovementPlanForm, KpiForm, OverrideForm, ResultForm
from performance.forms.remedies import BreachForm, ImprovementNoticeForm, ServiceCreditForm
from performance.forms.tracking import MilestoneForm, MiReportForm
from tests.core.fuzz_world import Case, hostile_pdf
from tests.factories import PASSWORD

WORK_CASES = {
    "meeting arrange": Case(
        "alice",
        lambda w: reverse("meetings:create", args=[w.contract.pk]) + "?record=held",
        lambda w: MeetingForm(contract=w.contract),
        lambda w: {
            "kind": "virtual",
            "starts_at": "2027-01-20T10:00",
            "duration_minutes": "60",
            "location": "Teams",
            "status": "planned",
            "short_notice_reason": "",
            "agenda": "Service review",
            "attendees": [w.alice.pk],
            "supplier_attendees": [w.contact.pk],
            "minutes": "",
        },
        lambda w: [
            reverse("meetings:contract", args=[w.contract.pk]),
            reverse("meetings:log_csv", args=[w.contract.pk]),
        ],
        files=lambda w: {"minutes_upload": hostile_pdf()},
    ),
    "meeting edit": Case(
        "alice",
        lambda w: reverse("meetings:edit", args=[w.meeting.pk]),
        lambda w: MeetingForm(instance=w.meeting, contract=w.contract),
        lambda w: {
            "kind": "face_to_face",
            "starts_at": "2027-06-01T10:00",
            "duration_minutes": "90",
            "location": "HQ",
            "status": "planned",
            "short_notice_reason": "",
            "agenda": "Annual review",
            "attendees": [w.alice.pk],
            "minutes": "",
        },
        lambda w: [reverse("meetings:contract", args=[w.contract.pk]), reverse("meetings:ics", args=[w.meeting.pk])],
    ),
    "meeting action": Case(
        "alice",
        lambda w: reverse("meetings:action_create", args=[w.meeting.pk]),
        lambda w: ActionForm(meeting=w.meeting),
        lambda w: {"description": "Send the schedule", "owner": w.alice.pk, "due_date": "2027-08-01", "done_on": ""},
    ),
    "activity": Case(
        "alice",
        lambda w: reverse("meetings:log", args=[w.contract.pk]),
        lambda w: ActivityForm(contract=w.contract),
        lambda w: {"kind": Activity.Kind.CALL, "occurred_on": "2026-11-09", "summary": "Call", "details": ""},
        lambda w: [reverse("meetings:log_csv", args=[w.contract.pk])],
        files=lambda w: {"attachment_upload": hostile_pdf()},
    ),
    "meeting cadence": Case(
        "priya",
        lambda w: reverse("meetings:cadence", args=[w.contract.pk]),
        lambda w: CadenceForm(),
        lambda w: {"cadence": "monthly"},
    ),
    "kpi": Case(
        "alice",
        lambda w: reverse("performance:kpi_create", args=[w.contract.pk]),
        lambda w: KpiForm(contract=w.contract),
        lambda w: {
            "name": "Repairs on time",
            "description": "",
            "kind": "kpi",
            "unit": "count",
            "direction": "higher",
            "target": "50",
            "tolerance": "5",
            "inadequate_threshold": "30",
            "frequency": "quarterly",
            "start_date": "2026-04-01",
            "end_date": "",
            "is_published": "on",
            "is_active": "on",
        },
        lambda w: [reverse("exchange:notices") + "?format=csv", reverse("exchange:notices") + "?format=json"],
    ),
    "kpi result": Case(
        "alice",
        lambda w: reverse("performance:result_record", args=[w.kpi.pk]),
        lambda w: ResultForm(),
        lambda w: {"period_start": "2026-09-01", "actual": "96.5", "commentary": "Good month"},
        lambda w: [reverse("performance:kpi_history", args=[w.kpi.pk])],
        files=lambda w: {"evidence": hostile_pdf()},
    ),
    "kpi result correction": Case(
        "alice",
        lambda w: reverse("performance:result_correct", args=[w.result.pk]),
        lambda w: CorrectionForm(result=w.result),
        lambda w: {"actual": "42", "commentary": "Recounted"},
    ),
    "kpi rating override": Case(
        "alice",
        lambda w: reverse("performance:result_override", args=[w.result.pk]),
        lambda w: OverrideForm(result=w.result),
        lambda w: {"rating_override": "other", "override_reason": "Outage outside their control"},
        lambda w: [reverse("performance:kpi_history", args=[w.kpi.pk])],
    ),
    "improvement plan": Case(
        "alice",
        lambda w: reverse("performance:improvement_plan_start", args=[w.result.pk]),
        lambda w: ImprovementPlanForm(result=w.result),
        lambda w: {
            "must_improve": "Calls answered back to target",
            "improve_by": "2027-03-31",
            "review_on": "2027-01-31",
            "owner": w.alice.pk,
        },
        lambda w: [reverse("performance:contract", args=[w.contract.pk])],
    ),
    "improvement notice": Case(
        "alice",
        lambda w: reverse("performance:improvement_notice_create", args=[w.contract.pk]),
        lambda w: ImprovementNoticeForm(contract=w.contract),
        lambda w: {
            "plan": "",
            "issued_on": "2026-11-02",
            "cure_by": "2026-12-02",
            "failure": "Calls answered late",
            "required_action": "Back to 95%",
        },
        lambda w: [reverse("performance:remedies", args=[w.contract.pk])],
    ),
    "service credit": Case(
        "alice",
        lambda w: reverse("performance:service_credit_create", args=[w.contract.pk]),
        lambda w: ServiceCreditForm(contract=w.contract),
        lambda w: {
            "kpi": w.kpi.pk,
            "period_start": "2026-01-01",
            "kind": "service_credit",
            "amount": "1250.50",
            "invoice_reference": "INV-0412",
            "reason": "Schedule 5",
        },
        lambda w: [reverse("performance:remedies", args=[w.contract.pk])],
    ),
    "breach": Case(
        "alice",
        lambda w: reverse("performance:breach_create", args=[w.contract.pk]),
        lambda w: BreachForm(contract=w.contract),
        lambda w: {"identified_on": "2026-11-02", "requirement": "Clause 4", "description": "Late call-outs"},
        lambda w: [reverse("performance:remedies", args=[w.contract.pk])],
    ),
    "milestone": Case(
        "alice",
        lambda w: reverse("performance:milestone_create", args=[w.contract.pk]),
        lambda w: MilestoneForm(contract=w.contract),
        lambda w: {
            "title": "Go live",
            "due_date": "2027-01-31",
            "status": "scheduled",
            "met_on": "",
            "owner": w.alice.pk,
            "notes": "",
        },
        lambda w: [reverse("ocds:export")],
    ),
    "mi report": Case(
        "alice",
        lambda w: reverse("performance:mi_report_create", args=[w.contract.pk]),
        lambda w: MiReportForm(contract=w.contract),
        lambda w: {
            "period_label": "October 2026",
            "period_start": "2026-10-01",
            "period_end": "2026-10-31",
            "expected_by": "2026-11-07",
            "received_on": "2026-11-05",
            "evaluation": "On target",
            "issues_found": "",
        },
        files=lambda w: {"file_upload": hostile_pdf()},
    ),
    "notification preferences": Case(
        "alice",
        lambda w: reverse("notifications:preferences"),
        lambda w: NotificationPreferencesForm(user=w.alice),
        lambda w: {"delivery": "digest", "email_escalation": "on"},
    ),
    "password change": Case(
        "alice",
        lambda w: reverse("accounts:password_change"),
        lambda w: PasswordChangeForm(w.alice),
        lambda w: {
            "old_password": PASSWORD,
            "new_password1": "Blue-sky-thinking-42",
            "new_password2": "Blue-sky-thinking-42",
        },
    ),
    "sign in": Case(
        "anonymous",
        lambda w: reverse("accounts:login"),
        lambda w: AuthenticationForm(),
        lambda w: {"username": "alice", "password": PASSWORD, "next": "/contracts/"},
        extra_kinds={"next": "text"},
    ),
}
