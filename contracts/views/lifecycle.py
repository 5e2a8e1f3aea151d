"""A contract's lifecycle pages: variations and change notices, extension options and renewal
decisions, the renewals list, ending a contract and its termination notice, savings, OCO training
and handover. The rules live in the models' clean() and in contracts/services/lifecycle.py."""

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, DateField, Func, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_POST

from accounts.models import TrainingRecord
from contracts import services
from contracts.forms_lifecycle import (
    ContractEndingForm,
    ExtensionOptionForm,
    HandoverForm,
    PublishedOnForm,
    RenewalDecisionForm,
    SavingForm,
    TrainingRecordForm,
    VariationForm,
    add_model_errors,
)
from contracts.models import Contract, ContractEnding, ExtensionOption, RenewalDecision, Saving, Variation
from contracts.services.lifecycle import (
    TRAINING_WARNING_DAYS,
    deactivated_owners,
    ocos_needing_training,
    savings_totals,
)
from core import access
from core.audit import history_user_set
from core.params import int_param

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

MANAGE = "contracts.manage_lifecycle"
RECORD_SAVING = "contracts.record_saving"
VALIDATE_SAVING = "contracts.validate_saving"
MANAGE_TRAINING = "contracts.manage_training"
HANDOVER = "contracts.hand_over_contracts"

RENEWALS_HORIZON_DAYS = 365
NAV = "lifecycle"


def _when(day) -> str:
    return date_format(day, "j M Y")


def _visible_contracts(user):
    return Contract.objects.visible_to(user)


def _contract_for(request, pk: int) -> Contract:
    """Scope first, then look up: a contract the user may not see answers 404."""
    return get_object_or_404(
        _visible_contracts(request.user).select_related("supplier", "category", "oco", "sro"), pk=pk
    )


def _contract_context(request, contract: Contract, **extra) -> dict:
    user = request.user
    return {
        "contract": contract,
        "tab": "lifecycle",
        "can_edit": user.has_perm("contracts.change_contract", contract),
        "can_edit_operational": user.has_perm("contracts.change_contract_operational", contract),
        "can_manage": user.has_perm(MANAGE, contract),
        **extra,
    }


def _lifecycle_url(contract: Contract, anchor: str = "") -> str:
    return reverse("lifecycle:contract", args=[contract.pk]) + (f"#{anchor}" if anchor else "")


def _financial_year_label(year: int) -> str:
    return f"{year}-{str(year + 1)[-2:]}"


# --- The contract's Lifecycle tab -----------------------------------------------------------------


def contract_lifecycle(request, pk: int):
    """Original and current value and term, variations, extension options and renewal decisions,
    savings and how the contract ended."""
    contract = _contract_for(request, pk)
    user = request.user
    variations = list(
        contract.variations.select_related("approved_by", "recorded_by").prefetch_related("documents", "made_with")
    )
    savings = list(contract.savings.select_related("recorded_by", "validated_by"))
    ending = ContractEnding.objects.filter(contract=contract).select_related("recorded_by").first()
    today = timezone.localdate()
    return render(
        request,
        "lifecycle/contract_lifecycle.html",
        _contract_context(
            request,
            contract,
            variations=variations,
            options=list(contract.extension_options.all()),
            decisions=list(contract.renewal_decisions.select_related("decided_by")[:5]),
            savings=savings,
            savings_total=sum((s.amount for s in savings), Decimal("0")),
            savings_validated=sum((s.amount for s in savings if s.validated_on), Decimal("0")),
            ending=ending,
            notice_overdue=bool(ending and not ending.notice_published_on and ending.notice_due_by < today),
            can_record_saving=user.has_perm(RECORD_SAVING, contract),
            can_validate_saving=user.has_perm(VALIDATE_SAVING, contract),
            can_end=ending is None and contract.status != Contract.Status.DRAFT,
            is_live=ending is None and contract.status in (Contract.Status.ACTIVE, Contract.Status.DRAFT),
            today=today,
        ),
    )


# --- Variations -----------------------------------------------------------------------------------


def variation_create(request, pk: int):
    """The Procurement Unit records an agreed variation; the service applies the change notice rule."""
    contract = _contract_for(request, pk)
    access.require(request.user, MANAGE, contract)
    form = VariationForm(request.POST or None, contract=contract, initial={"approved_by": contract.sro})
    if request.method == "POST" and form.is_valid():
        variation = form.instance
        try:
            variation.full_clean(exclude=["number", "recorded_by"])
            variation = services.variation_record(
                variation=variation,
                by=request.user,
                made_with=form.cleaned_data["made_with"],
                documents=form.cleaned_data["documents"],
            )
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            text = f"Variation {variation.number} to {contract.reference} recorded. {variation.change_notice_reason}"
            if variation.change_notice_required:
                messages.warning(request, f"{text} Publish the notice, then record the day it was published.")
            else:
                messages.success(request, text)
            return redirect(_lifecycle_url(contract, "variations"))
    return render(
        request,
        "lifecycle/variation_form.html",
        _contract_context(request, contract, form=form, latest_end=contract.extended_end_date),
    )


def _published_on(request, *, contract: Contract, form: PublishedOnForm, save, heading: str, intro: str, back: str):
    if request.method == "POST" and form.is_valid():
        message = save(form.cleaned_data["published_on"])
        messages.success(request, message)
        return redirect(back)
    return render(
        request,
        "lifecycle/published_on_form.html",
        _contract_context(request, contract, form=form, heading=heading, intro=intro, back=back),
    )


def variation_notice(request, pk: int):
    """Record the day a variation's contract change notice was published."""
    variation = get_object_or_404(
        Variation.objects.filter(contract__in=_visible_contracts(request.user)).select_related(
            "contract__supplier", "contract__oco", "contract__sro"
        ),
        pk=pk,
    )
    contract = variation.contract
    access.require(request.user, MANAGE, contract)
    form = PublishedOnForm(
        request.POST or None,
        earliest=variation.agreed_on,
        earliest_text=f"the variation was agreed ({_when(variation.agreed_on)})",
        initial={"published_on": variation.change_notice_published_on or timezone.localdate()},
    )

    def save(day):
        services.variation_notice_published(variation=variation, on=day, by=request.user)
        return f"Contract change notice for variation {variation.number} recorded as published on {_when(day)}."

    return _published_on(
        request,
        contract=contract,
        form=form,
        save=save,
        heading=f"Contract change notice for variation {variation.number}",
        intro=variation.change_notice_reason,
        back=_lifecycle_url(contract, "variations"),
    )


# --- Renewals -------------------------------------------------------------------------------------


def extension_option_edit(request, contract_pk: int | None = None, pk: int | None = None):
    """Add an extension option to a contract (contract_pk) or change one (pk): the Procurement Unit."""
    if pk is not None:
        option = get_object_or_404(
            ExtensionOption.objects.filter(contract__in=_visible_contracts(request.user)).select_related(
                "contract__supplier", "contract__oco", "contract__sro"
            ),
            pk=pk,
        )
        contract = option.contract
    else:
        assert contract_pk is not None  # the URLs give one or the other
        contract, option = _contract_for(request, contract_pk), None
    access.require(request.user, MANAGE, contract)
    form = ExtensionOptionForm(request.POST or None, instance=option, contract=contract)
    if request.method == "POST" and form.is_valid():
        try:
            option = services.extension_option_save(option=form.instance, by=request.user)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            verb = "saved" if pk else "added"
            messages.success(request, f"Extension option {verb}: {option}.")
            return redirect(_lifecycle_url(contract, "renewal"))
    return render(
        request,
        "lifecycle/extension_option_form.html",
        _contract_context(request, contract, form=form, option=option),
    )


def renewal_decide(request, pk: int):
    """Record the decision on a contract coming to its end: extend, re-procure or let it expire."""
    contract = _contract_for(request, pk)
    access.require(request.user, MANAGE, contract)
    from_renewals = request.GET.get("from") == "renewals" or request.POST.get("from") == "renewals"
    back = reverse("lifecycle:renewals") if from_renewals else _lifecycle_url(contract, "renewal")
    form = RenewalDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = services.renewal_decide(
            contract=contract,
            decision=form.cleaned_data["decision"],
            notes=form.cleaned_data["notes"],
            by=request.user,
        )
        messages.success(request, f"Decision on {contract.reference} recorded: {decision.get_decision_display()}.")
        return redirect(back)
    return render(
        request,
        "lifecycle/renewal_decision_form.html",
        _contract_context(
            request,
            contract,
            form=form,
            back=back,
            from_renewals=from_renewals,
            options=[o for o in contract.extension_options.all() if o.decision == ExtensionOption.Decision.PENDING],
            decisions=list(contract.renewal_decisions.select_related("decided_by")[:5]),
        ),
    )


class NoticeDate(Func):
    """A contract's notice date in the database: its end date less its notice period in days."""

    output_field = DateField()
    arg_joiner = " - "
    template = "(%(expressions)s)"  # PostgreSQL: date - integer is a date

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s || ' days')", arg_joiner=", '-' || ", **extra_context
        )


class _NoticeDate(TypedDict):
    notice_on: date


def _urgency(contract: "WithAnnotations[Contract, _NoticeDate]", today) -> tuple[str, str]:
    """(Bootstrap colour, words) for a contract on the renewals list."""
    if contract.end_date < today:
        return "danger", "Past its end date"
    if contract.notice_on < today:
        return "danger", "Notice date passed"
    if (contract.notice_on - today).days <= 90:
        return "warning", "Notice date within 90 days"
    return "info", "Notice date within 12 months"


def renewals(request):
    """Active contracts whose notice date or end date falls in the next 12 months, or already past
    their end date: what is pending and what was decided. Four queries however many rows."""
    access.require(request.user, MANAGE)
    today = timezone.localdate()
    horizon = today + timedelta(days=RENEWALS_HORIZON_DAYS)
    contracts = (
        _visible_contracts(request.user)
        .active()
        .annotate(notice_on=NoticeDate("end_date", "notice_period_days"))
        .filter(Q(end_date__lte=horizon) | Q(notice_on__gte=today, notice_on__lte=horizon))
        .select_related("supplier", "oco")
        .prefetch_related(
            Prefetch(
                "extension_options",
                queryset=ExtensionOption.objects.filter(decision=ExtensionOption.Decision.PENDING).order_by(
                    "decide_by"
                ),
                to_attr="pending_options",
            ),
            Prefetch(
                "renewal_decisions",
                queryset=RenewalDecision.objects.select_related("decided_by"),
                to_attr="decisions",
            ),
        )
        .order_by("notice_on", "end_date", "reference")
    )
    page = Paginator(contracts, 50).get_page(request.GET.get("page"))
    rows = []
    for contract in page.object_list:
        colour, words = _urgency(contract, today)
        rows.append(
            {
                "contract": contract,
                "days_left": (contract.end_date - today).days,
                "days_to_notice": (contract.notice_on - today).days,
                "colour": colour,
                "urgency": words,
                "latest": contract.decisions[0] if contract.decisions else None,
            }
        )
    return render(
        request,
        "lifecycle/renewals.html",
        {"page_obj": page, "rows": rows, "today": today, "horizon": horizon, "nav": NAV},
    )


# --- Ending ----------------------------------------------------------------------------------------


def contract_end(request, pk: int):
    """Terminate a contract or let it expire (the Procurement Unit): what the termination notice needs."""
    contract = _contract_for(request, pk)
    access.require(request.user, MANAGE, contract)
    if ContractEnding.objects.filter(contract=contract).exists():
        messages.info(request, f"How {contract.reference} ended is already recorded.")
        return redirect(_lifecycle_url(contract, "ending"))
    if contract.status == Contract.Status.DRAFT:
        messages.error(request, f"{contract.reference} is a draft: it has not started, so it cannot end.")
        return redirect(_lifecycle_url(contract, "ending"))
    form = ContractEndingForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        ending = form.instance
        try:
            ending.full_clean(exclude=["recorded_by"])
            ending = services.contract_end(ending=ending, by=request.user)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(
                request,
                f"{contract.reference}: {ending.get_kind_display().lower()} on {_when(ending.ended_on)}. "
                f"Publish the contract termination notice by {_when(ending.notice_due_by)} and record the day.",
            )
            return redirect(_lifecycle_url(contract, "ending"))
    return render(request, "lifecycle/contract_end_form.html", _contract_context(request, contract, form=form))


def termination_notices(request):
    """Endings whose contract termination notice is not yet published, oldest first."""
    access.require(request.user, MANAGE)
    today = timezone.localdate()
    endings = (
        ContractEnding.objects.filter(contract__in=_visible_contracts(request.user), notice_published_on__isnull=True)
        .select_related("contract__supplier", "recorded_by")
        .order_by("ended_on", "pk")
    )
    page = Paginator(endings, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "ending": e,
            "days": (e.notice_due_by - today).days,
            "overdue": e.notice_due_by < today,
            "overdue_days": (today - e.notice_due_by).days,
        }
        for e in page.object_list
    ]
    return render(
        request,
        "lifecycle/termination_notices.html",
        {"page_obj": page, "rows": rows, "today": today, "nav": NAV},
    )


def termination_notice(request, pk: int):
    """Record the day a contract termination notice was published."""
    ending = get_object_or_404(
        ContractEnding.objects.filter(contract__in=_visible_contracts(request.user)).select_related(
            "contract__supplier", "contract__oco", "contract__sro"
        ),
        pk=pk,
    )
    contract = ending.contract
    access.require(request.user, MANAGE, contract)
    from_list = request.GET.get("from") == "list" or request.POST.get("from") == "list"
    form = PublishedOnForm(
        request.POST or None,
        earliest=ending.ended_on,
        earliest_text=f"the contract ended ({_when(ending.ended_on)})",
        initial={"published_on": ending.notice_published_on or timezone.localdate()},
    )

    def save(day):
        ending.notice_published_on = day
        history_user_set(ending, request.user)
        ending.save(update_fields=["notice_published_on"])
        return f"Contract termination notice for {contract.reference} recorded as published on {_when(day)}."

    return _published_on(
        request,
        contract=contract,
        form=form,
        save=save,
        heading=f"Contract termination notice for {contract.reference}",
        intro=f"{ending.get_kind_display()} on {_when(ending.ended_on)}: publish the notice by "
        f"{_when(ending.notice_due_by)} (within 30 days).",
        back=reverse("lifecycle:termination_notices") if from_list else _lifecycle_url(contract, "ending"),
    )


# --- Savings ---------------------------------------------------------------------------------------


def saving_create(request, pk: int):
    """The contract's OCO or the Procurement Unit records a saving; the Procurement Unit validates it."""
    contract = _contract_for(request, pk)
    access.require(request.user, RECORD_SAVING, contract)
    form = SavingForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        saving = form.instance
        try:
            saving.full_clean(exclude=["recorded_by", "financial_year"])
            saving = services.saving_record(saving=saving, by=request.user)
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            messages.success(
                request,
                f"Saving of £{saving.amount:,.2f} recorded for {saving.financial_year_label}. "
                "The Procurement Unit validates it.",
            )
            return redirect(_lifecycle_url(contract, "savings"))
    return render(request, "lifecycle/saving_form.html", _contract_context(request, contract, form=form))


@require_POST
def saving_validate(request, pk: int):
    saving = get_object_or_404(Saving.objects.visible_to(request.user).select_related("contract"), pk=pk)
    access.require(request.user, VALIDATE_SAVING, saving.contract)
    if saving.validated_on:
        messages.info(request, "This saving was already validated.")
    else:
        services.saving_validate(saving=saving, by=request.user, on=timezone.localdate())
        messages.success(request, f"Saving of £{saving.amount:,.2f} on {saving.contract.reference} validated.")
    if request.POST.get("from") == "savings":
        return redirect(reverse("lifecycle:savings") + "#savings-list")
    return redirect(_lifecycle_url(saving.contract, "savings"))


def savings(request):
    """The Procurement Unit's savings page: totals by financial year and by category, and every saving."""
    access.require(request.user, MANAGE)
    visible = Saving.objects.visible_to(request.user)
    totals = savings_totals(visible)
    validated = savings_totals(visible.filter(validated_on__isnull=False))
    validated_by_year = {row["financial_year"]: row["total"] for row in validated["by_year"]}
    by_year = [
        {
            "label": _financial_year_label(row["financial_year"]),
            "year": row["financial_year"],
            "total": row["total"],
            "validated": validated_by_year.get(row["financial_year"], Decimal("0")),
        }
        for row in totals["by_year"]
    ]
    listed = visible.select_related("contract__category", "recorded_by", "validated_by")
    status = request.GET.get("status", "")
    if status == "unvalidated":
        listed = listed.filter(validated_on__isnull=True)
    year = request.GET.get("year", "")
    year_number = int_param(request.GET, "year")
    if year_number is not None:
        listed = listed.filter(financial_year=year_number)
    page = Paginator(listed, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "lifecycle/savings.html",
        {
            "totals": totals,
            "validated_total": validated["total"],
            "by_year": by_year,
            "by_category": totals["by_category"],
            "page_obj": page,
            "savings": page.object_list,
            "status": status,
            "year": year,
            "year_label": _financial_year_label(year_number) if year_number is not None else "",
            "nav": NAV,
        },
    )


# --- Training --------------------------------------------------------------------------------------


def _commercial_awareness(records) -> list[TrainingRecord]:
    return sorted(
        (r for r in records if r.course == TrainingRecord.Course.COMMERCIAL_AWARENESS),
        key=lambda r: r.completed_on,
        reverse=True,
    )


def training(request):
    """OCOs whose commercial-awareness training is missing or expires within 60 days."""
    access.require(request.user, MANAGE_TRAINING)
    today = timezone.localdate()
    ocos = ocos_needing_training(today=today).annotate(
        active_contracts=Count(
            "contracts_as_oco", filter=Q(contracts_as_oco__status=Contract.Status.ACTIVE), distinct=True
        )
    )
    rows = []
    for oco in ocos:
        records = _commercial_awareness(oco.training_records.all())
        latest = records[0] if records else None
        current = [r for r in records if r.completed_on <= today and (r.expires_on is None or r.expires_on >= today)]
        if current:
            # Whoever holds current training that never expires is not listed (ocos_needing_training).
            expiry = max(r.expires_on for r in current if r.expires_on is not None)
            state = ("warning", f"Expires on {_when(expiry)}")
        elif latest:
            state = ("danger", "Expired" if latest.expires_on and latest.expires_on < today else "Not current")
        else:
            state = ("danger", "Missing")
        rows.append({"oco": oco, "latest": latest, "colour": state[0], "state": state[1]})
    return render(
        request,
        "lifecycle/training.html",
        {
            "rows": rows,
            "warning_days": TRAINING_WARNING_DAYS,
            "warning_until": today + timedelta(days=TRAINING_WARNING_DAYS),
            "nav": NAV,
        },
    )


def training_add(request):
    access.require(request.user, MANAGE_TRAINING)
    initial = {}
    if (user_pk := int_param(request.GET, "user")) is not None:
        initial["user"] = user_pk
    form = TrainingRecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        record = form.instance
        history_user_set(record, request.user)
        record.save()
        today = timezone.localdate()
        current = record.user.has_current_training(on=today)
        messages.success(
            request,
            f"Training recorded for {record.user}."
            + ("" if current else " They still have no current commercial-awareness training."),
        )
        return redirect("lifecycle:training")
    return render(request, "lifecycle/training_form.html", {"form": form, "nav": NAV})


def training_mine(request):
    """Everyone sees their own training records."""
    today = timezone.localdate()
    records = list(request.user.training_records.all())
    current = [
        r
        for r in _commercial_awareness(records)
        if r.completed_on <= today and (r.expires_on is None or r.expires_on >= today)
    ]
    expiry = None
    if current:
        dated = [r.expires_on for r in current if r.expires_on is not None]
        expiry = max(dated) if len(dated) == len(current) else None
    return render(
        request,
        "lifecycle/training_mine.html",
        {
            "records": records,
            "current": bool(current),
            "expiry": expiry,
            "expiring_soon": bool(expiry and (expiry - today).days <= TRAINING_WARNING_DAYS),
            "today": today,
        },
    )


# --- Handover --------------------------------------------------------------------------------------


def _deactivated_owners_with_contracts() -> list[dict]:
    owners = list(deactivated_owners())
    if not owners:
        return []
    contracts = (
        Contract.objects.active()
        .filter(Q(oco__in=owners) | Q(sro__in=owners))
        .select_related("supplier")
        .order_by("reference")
    )
    named: dict[int, list] = {owner.pk: [] for owner in owners}
    for contract in contracts:
        for role, user_id in (("OCO", contract.oco_id), ("SRO", contract.sro_id)):
            if user_id in named:
                named[user_id].append((contract, role))
    return [
        {"user": owner, "contracts": named[owner.pk], "roles": sorted({role for _, role in named[owner.pk]})}
        for owner in owners
    ]


def _recent_handovers(limit: int = 10) -> list[dict]:
    """The latest handovers, read from the contracts' history: one entry per handover, with its contracts."""
    records = (
        Contract.history.filter(history_change_reason__startswith="Handover from")
        .select_related("history_user")
        .order_by("-history_date")[:500]
    )
    handovers: list[dict] = []
    for record in records:
        key = (
            record.history_change_reason,
            record.history_user_id,
            record.history_date.replace(second=0, microsecond=0),
        )
        if handovers and handovers[-1]["key"] == key:
            handovers[-1]["contracts"].append(record)
        elif len(handovers) == limit:
            break
        else:
            handovers.append(
                {
                    "key": key,
                    "when": record.history_date,
                    "reason": record.history_change_reason,
                    "by": record.history_user,
                    "contracts": [record],
                }
            )
    return handovers


def handover(request):
    """Move every live contract of one OCO (or SRO) to another in one step, with a confirm step."""
    access.require(request.user, HANDOVER)
    confirm = False
    moving = []
    if request.method == "POST":
        form = HandoverForm(request.POST)
        if form.is_valid():
            moving = list(form.contracts())
            data = form.cleaned_data
            if not moving:
                form.add_error("from_user", f"{data['from_user']} holds no live contracts as {data['role'].upper()}.")
            elif "confirm" in request.POST:
                try:
                    count = services.handover(
                        from_user=data["from_user"],
                        to_user=data["to_user"],
                        role=data["role"],
                        reason=data["reason"],
                        by=request.user,
                    )
                except ValidationError as error:
                    add_model_errors(form, error)
                else:
                    messages.success(
                        request,
                        f"{count} contract{'s' if count != 1 else ''} handed over from {data['from_user']} "
                        f"to {data['to_user']} as {data['role'].upper()}.",
                    )
                    to_user = data["to_user"]
                    if data["role"] == "oco" and not to_user.has_current_training(on=timezone.localdate()):
                        messages.warning(
                            request,
                            f"{to_user} has no current commercial-awareness training: the policy asks it of every OCO.",
                        )
                    return redirect("lifecycle:handover")
            else:
                confirm = True
    else:
        initial = {k: request.GET[k] for k in ("from_user", "role") if request.GET.get(k)}
        form = HandoverForm(initial=initial)
    recent = _recent_handovers()
    return render(
        request,
        "lifecycle/handover.html",
        {
            "form": form,
            "confirm": confirm,
            "moving": moving,
            "deactivated": _deactivated_owners_with_contracts(),
            "recent": recent,
            "nav": NAV,
        },
    )
