"""One Procurement Act notice's page: its data, its release in Find a Tender's form (`?format=ocds`), a
checklist before publishing, and "published" (the day and Find a Tender's notice identifier), then
whether Find a Tender has confirmed it. A contract performance notice (UK9), a contract change notice
(UK10, of a variation), a contract termination notice (UK11, of a contract's ending) and the force's
payments compliance notice (UK8, of a reporting period; published once the finance director has approved it).

Seen by the Procurement Unit and administrators (exchange.view_notices); recorded by them
(exchange.publish_notices). The releases are built by exchange/selectors/notice_releases.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from contracts.models import Contract, ContractEnding, Variation
from core import access
from core.formatting import long_date
from exchange.forms import NoticePublishedForm
from exchange.models import NoticePublication
from exchange.selectors import notice_releases as releases
from exchange.selectors import notices
from exchange.selectors import payments_notices as compliance
from exchange.selectors.notice_checklist import CheckItem, notice_checklist
from exchange.services import publication as publish
from exchange.views.notices import notice_state
from performance.models import PerformanceNotice
from performance.ratings import Rating


def _ocds(release: dict) -> JsonResponse:
    """The notice's release, shown in the browser (to copy into Find a Tender) rather than downloaded."""
    return JsonResponse(release, json_dumps_params={"indent": 2, "ensure_ascii": False})


def _page(request, *, template: str, form, context: dict, release: dict, checklist: list[CheckItem]):
    return render(
        request,
        template,
        {
            **context,
            "form": form,
            "release": release,
            "release_json": json.dumps(release, indent=2, ensure_ascii=False),
            "checklist": checklist,
            "checks_open": sum(not item.done for item in checklist),
            "may_publish": request.user.has_perm("exchange.publish_notices"),
            "nav": "data",
        },
    )


def performance_notice(request, contract_pk: int, period_start: str, kind: str):
    """One contract performance notice (UK9)."""
    access.require(request.user, "exchange.view_notices")
    contract = access.object_visible(request.user, Contract, pk=contract_pk)
    try:
        start = date.fromisoformat(period_start)
    except ValueError:
        raise Http404("No such period") from None
    if kind not in PerformanceNotice.Kind.values:
        raise Http404("No such notice")
    today = timezone.localdate()
    notice = notices.find_notice(contract, period_start=start, kind=kind, today=today)
    if notice is None:
        raise Http404("No performance notice is due for that period")
    current = (
        NoticePublication.objects.filter(performance_notice=notice.published).first() if notice.published else None
    )
    published_on = notice.published.published_on if notice.published else today
    release = releases.performance_notice_release(notice, on=published_on)
    if request.GET.get("format") == "ocds":
        return _ocds(release)
    if request.GET.get("format") == "json":
        return JsonResponse(notice.as_dict(), json_dumps_params={"indent": 2})
    from_list = request.POST.get("from") == "list"
    form = NoticePublishedForm(
        request.POST or None,
        current=current,
        earliest=notice.period_end,
        earliest_text=f"its period ends ({long_date(notice.period_end)})",
        initial={"published_on": published_on},
    )
    if request.method == "POST":
        access.require(request.user, "exchange.publish_notices")
        if form.is_valid():
            day = form.cleaned_data["published_on"]
            publish.performance_notice_publish(
                notice=notice, notice_id=form.cleaned_data["notice_id"], published_on=day, by=request.user
            )
            messages.success(
                request,
                f"Performance notice for {contract.reference}, {long_date(notice.period_start)} to "
                f"{long_date(notice.period_end)}, recorded as published on {long_date(day)} "
                f"(Find a Tender notice {form.cleaned_data['notice_id']}).",
            )
            return redirect("exchange:notices" if from_list else request.path)
        if from_list:
            errors = [str(e) for field in ("notice_id", "published_on") for e in form.errors.get(field, [])]
            messages.error(request, f"{contract.reference}: {' '.join(errors)}")
            return redirect("exchange:notices")
    unrated = [a.kpi.name for a in notice.assessments if a.results == 0]
    items = [
        CheckItem(
            bool(notice.assessments) or bool(contract.kpis_not_appropriate_reason),
            "The contract has published KPIs to assess (or the reason it has none is recorded).",
            "Publish the contract's KPIs on its Performance tab.",
        ),
        CheckItem(
            not unrated,
            "Every KPI has a result in the period.",
            f"No result, so rated Other: {', '.join(unrated)}." if unrated else "",
        ),
    ]
    colour, word, detail = notice_state(notice, today)
    return _page(
        request,
        template="exchange/notices/performance_notice.html",
        form=form,
        release=release,
        checklist=notice_checklist(contract=contract, release=release, items=items),
        context={
            "notice": notice,
            "data": notice.as_dict(),
            "publication": current,
            "colour": colour,
            "state": word,
            "detail": detail,
            "due_days": notices.NOTICE_DUE_DAYS,
            "rating_rule": notices.RATING_RULE,
            "identifier_rule": notices.PROCUREMENT_IDENTIFIER_RULE,
            "classifications": [(Rating(r).label, code) for r, code in releases.RATING_CLASSIFICATION.items()],
        },
    )


@dataclass(frozen=True)
class _Notice:
    """What tells one notice page (UK8, UK10, UK11) from another: its subject's data and words."""

    subject: object
    subject_name: str  # the publish service's keyword for it: "variation", "ending", "notice"
    contract: Contract | None
    current: NoticePublication | None
    published_on: date
    earliest: date
    earliest_text: str
    success: str
    items: list[CheckItem]
    template: str
    context: dict


def _notice_page(request, notice: _Notice, *, build: Callable[..., dict], publish_service: Callable[..., object]):
    """A notice's page: its release from `build` (`?format=ocds`), the form recording it as published
    through `publish_service` (a refusal, a ValidationError, shown on the form), the success message and
    the checklist."""
    release = build(notice.subject, on=notice.published_on)
    if request.GET.get("format") == "ocds":
        return _ocds(release)
    form = NoticePublishedForm(
        request.POST or None,
        current=notice.current,
        earliest=notice.earliest,
        earliest_text=notice.earliest_text,
        initial={"published_on": notice.published_on},
    )
    if request.method == "POST":
        access.require(request.user, "exchange.publish_notices")
        if form.is_valid():
            day, notice_id = form.cleaned_data["published_on"], form.cleaned_data["notice_id"]
            try:
                publish_service(
                    **{notice.subject_name: notice.subject}, notice_id=notice_id, published_on=day, by=request.user
                )
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                messages.success(
                    request,
                    f"{notice.success} recorded as published on {long_date(day)} (Find a Tender notice {notice_id}).",
                )
                return redirect(request.path)
    return _page(
        request,
        template=notice.template,
        form=form,
        release=release,
        checklist=notice_checklist(contract=notice.contract, release=release, items=notice.items),
        context={**notice.context, "contract": notice.contract, "publication": notice.current},
    )


def change_notice(request, pk: int):
    """A variation's contract change notice (UK10)."""
    access.require(request.user, "exchange.view_notices")
    variation = access.object_visible(
        request.user,
        Variation.objects.select_related("contract__supplier", "publication").prefetch_related("contract__variations"),
        through="contract",
        pk=pk,
    )
    contract = variation.contract
    if not (variation.change_notice_required and contract.needs_change_notices):
        raise Http404("This variation needs no contract change notice")
    notice = _Notice(
        subject=variation,
        subject_name="variation",
        contract=contract,
        current=getattr(variation, "publication", None),
        published_on=variation.change_notice_published_on or timezone.localdate(),
        earliest=contract.start_date,
        earliest_text=f"the contract starts ({long_date(contract.start_date)})",
        success=f"Contract change notice for variation {variation.number} to {contract.reference}",
        items=[
            CheckItem(
                bool(variation.description.strip() and variation.reason.strip()),
                "The variation's description and reason are recorded.",
            ),
            CheckItem(
                bool(variation.change_notice_reason.strip()),
                "Why the variation needs a change notice is recorded.",
                "Record it on the variation.",
            ),
        ],
        template="exchange/notices/change_notice.html",
        context={"variation": variation},
    )
    return _notice_page(
        request,
        notice,
        build=releases.change_notice_release,
        publish_service=publish.change_notice_publish,
    )


def termination_notice(request, pk: int):
    """A contract's termination notice (UK11)."""
    access.require(request.user, "exchange.view_notices")
    ending = access.object_visible(
        request.user,
        ContractEnding.objects.select_related("contract__supplier", "publication"),
        through="contract",
        pk=pk,
    )
    contract = ending.contract
    if not contract.needs_termination_notice:
        raise Http404("This contract needs no contract termination notice")
    today = timezone.localdate()
    notice = _Notice(
        subject=ending,
        subject_name="ending",
        contract=contract,
        current=getattr(ending, "publication", None),
        published_on=ending.notice_published_on or today,
        earliest=ending.ended_on,
        earliest_text=f"the contract ended ({long_date(ending.ended_on)})",
        success=f"Contract termination notice for {contract.reference}",
        items=[CheckItem(bool(ending.reason.strip()), "The reason the contract ended is recorded.")],
        template="exchange/notices/termination_notice.html",
        context={"ending": ending, "today": today},
    )
    return _notice_page(
        request,
        notice,
        build=releases.termination_notice_release,
        publish_service=publish.termination_notice_publish,
    )


def payments_compliance_notice(request, period_start: str):
    """The force's payments compliance notice (UK8) of an ended reporting period (section 69)."""
    access.require(request.user, "exchange.view_notices")
    try:
        start = date.fromisoformat(period_start)
    except ValueError:
        raise Http404("No such reporting period") from None
    today = timezone.localdate()
    notice = compliance.compliance_notice(period_start=start, today=today)
    if notice is None:
        raise Http404("No ended reporting period begins that day")
    approval = notice.approval
    colour, word, detail = notice.state(today)
    page = _Notice(
        subject=notice,
        subject_name="notice",
        contract=None,
        current=notice.publication,
        published_on=notice.publication.published_on if notice.publication else today,
        earliest=notice.period_end + timedelta(days=1),
        earliest_text=f"its reporting period has ended (on {long_date(notice.period_end)})",
        success=f"Payments compliance notice for {notice.period_text}",
        items=[
            CheckItem(
                approval is not None,
                f"Approved by {approval.approver_name} ({approval.approver_role}) on {long_date(approval.approved_on)}."
                if approval
                else "The finance director (or equivalent) has approved the notice.",
                "Record the approval on the Payments compliance page before recording the notice as published.",
            ),
            CheckItem(
                bool(notice.figures["invoices"]),
                "Invoices paid in the period are imported from the finance system.",
                "Import the finance system's invoice export; with none the notice reports no payment.",
            ),
        ],
        template="exchange/notices/payments_compliance_notice.html",
        context={"notice": notice, "colour": colour, "state": word, "detail": detail},
    )
    return _notice_page(
        request,
        page,
        build=compliance.payments_compliance_release,
        publish_service=publish.payments_compliance_notice_publish,
    )
