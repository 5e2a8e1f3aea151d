"""Escalations: the register of them, raising one, managing one, and supplier information that raises them."""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django_filters.views import FilterView

from accounts.rules import sees_everything
from contracts import services
from contracts.documents import private_download
from contracts.filters import EscalationFilter
from contracts.forms.escalations import (
    EscalationManageForm,
    EscalationPostForm,
    EscalationRaiseForm,
    SupplierInformationForm,
)
from contracts.models import Contract, Escalation, EscalationUpdate
from contracts.rules import is_escalation_sro
from core import access
from core.audit import history_entries
from suppliers.models import Supplier

NAV = "escalations"


def _escalations_for(user):
    """Scope first: an OCO or SRO sees the escalations of their contracts, the Procurement Unit all."""
    return Escalation.objects.visible_to(user).select_related("contract__supplier", "owner", "raised_by")


def _escalation_for(request, pk: int) -> Escalation:
    related = ("contract__supplier", "contract__oco", "contract__sro", "owner", "raised_by", "supplier_information")
    return access.object_visible(request.user, Escalation.objects.select_related(*related), pk=pk)


def contract_escalations_context(*, contract: Contract, user) -> dict:
    """The contract page's escalations panel: one query, however many there are."""
    return {
        "open_escalations": list(contract.escalations.open().order_by("raised_on", "pk")),
        "can_raise_escalation": user.has_perm("contracts.raise_escalation", contract),
    }


class EscalationListView(FilterView):
    template_name = "escalations/escalation_list.html"
    filterset_class = EscalationFilter
    paginate_by = 25

    def get_queryset(self):
        return _escalations_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["nav"] = NAV
        context["sees_everything"] = self.request.user.sees_everything
        return context


def escalation_detail(request, pk: int):
    escalation = _escalation_for(request, pk)
    return _detail(request, escalation, form=_post_form(request, escalation))


def _post_form(request, escalation: Escalation, data=None, files=None) -> EscalationPostForm | None:
    if not request.user.has_perm("contracts.post_escalation_update", escalation):
        return None
    can_change_status = request.user.has_perm("contracts.change_escalation_status", escalation)
    return EscalationPostForm(data, files, escalation=escalation, can_change_status=can_change_status)


def _detail(request, escalation: Escalation, *, form: EscalationPostForm | None, status: int = 200):
    """The escalation, its thread and its history: a fixed number of queries, however long the thread."""
    updates = list(escalation.updates.select_related("author"))
    entries = history_entries(
        escalation.history.all(),
        EscalationUpdate.history.filter(escalation_id=escalation.pk),
        subject=lambda record: "Update in the thread" if isinstance(record, EscalationUpdate) else "Escalation",
        hide=["contract", "supplier_information", "escalation", "attachment"],
    )
    return render(
        request,
        "escalations/escalation_detail.html",
        {
            "escalation": escalation,
            "contract": escalation.contract,
            "information": escalation.supplier_information,
            "entries": entries,
            "updates": updates,
            "form": form,
            "can_manage": request.user.has_perm("contracts.manage_escalation", escalation),
            # The supplier portal's rule (portal.rules), asked by name: contracts sits below portal.
            "can_share": request.user.has_perm("portal.share_escalation", escalation),
            "is_sro": is_escalation_sro.test(request.user, escalation) and not request.user.sees_everything,
            "nav": NAV,
        },
        status=status,
    )


def escalation_post(request, pk: int):
    """Post in the thread. Anyone may see the escalation may be refused (403) by the rules: posting at
    all (only its OCO, SRO and the Procurement Unit), or changing its status (the Procurement Unit)."""
    escalation = _escalation_for(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    access.require(request.user, "contracts.post_escalation_update", escalation)
    if request.POST.get("status") not in ("", None, escalation.status):
        access.require(request.user, "contracts.change_escalation_status", escalation)
    form = _post_form(request, escalation, request.POST, request.FILES)
    assert form is not None  # the permission above lets them post
    if not form.is_valid():
        return _detail(request, escalation, form=form)
    update = services.escalation_post(
        escalation=escalation,
        by=request.user,
        text=form.cleaned_data["text"],
        attachment=form.cleaned_data["attachment"] or None,
        status=form.cleaned_data["status"],
    )
    messages.success(request, "Your update was added to the thread; the people following it have been told.")
    return redirect(f"{escalation.get_absolute_url()}#update-{update.pk}")


def escalation_attachment(request, pk: int):
    """An attachment of the thread, served only here after the contract's scope is checked; never cached."""
    update = access.object_visible(request.user, EscalationUpdate.objects.select_related("escalation"), pk=pk)
    return private_download(update.attachment, filename=update.attachment_name or "attachment")


def escalation_raise(request, contract_pk: int):
    """Raise an escalation on a contract: its OCO or the Procurement Unit."""
    contract = access.object_visible(request.user, Contract.objects.for_page(), pk=contract_pk)
    access.require(request.user, "contracts.raise_escalation", contract)
    form = EscalationRaiseForm(request.POST or None, contract=contract, prefill=request.GET)
    if request.method == "POST" and form.is_valid():
        escalation = services.escalation_raise(escalation=form.instance, by=request.user)
        who = "The Procurement Unit has" if not request.user.sees_everything else "The contract's OCO has"
        messages.success(request, f"Escalation raised on {contract.reference}. {who} been notified.")
        return redirect(escalation)
    return render(request, "escalations/escalation_raise.html", {"form": form, "contract": contract, "nav": NAV})


def escalation_manage(request, pk: int):
    """The Procurement Unit's changes: status, severity, owner, actions and resolution."""
    escalation = _escalation_for(request, pk)
    access.require(request.user, "contracts.manage_escalation", escalation)
    form = EscalationManageForm(request.POST or None, instance=escalation)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            services.escalation_update(escalation=form.instance, by=request.user)
            messages.success(request, "Escalation updated.")
        else:
            messages.info(request, "Nothing was changed.")
        return redirect(escalation)
    return render(
        request,
        "escalations/escalation_manage.html",
        {"form": form, "escalation": escalation, "contract": escalation.contract, "nav": NAV},
    )


def _information_recorded(user, escalations: list[Escalation]) -> str:
    """The confirmation, naming only what the user may see: an OCO hears of their own contracts, never
    of how many others the supplier has."""
    if sees_everything.test(user):
        count = len(escalations)
        if not count:
            return "Information recorded. The supplier has no active contracts, so nothing was escalated."
        contracts = ngettext("%(count)d active contract", "%(count)d active contracts", count) % {"count": count}
    else:
        count = Contract.objects.visible_to(user).filter(pk__in=[e.contract_id for e in escalations]).count()
        if not count:
            return "Information recorded and passed to the Procurement Unit."
        contracts = ngettext("%(count)d of your active contracts", "%(count)d of your active contracts", count) % {
            "count": count
        }
    return (
        f"Information recorded. {contracts} escalated to the Procurement Unit; the Procurement Unit and "
        "the contracts' OCOs and SROs have been notified."
    )


def supplier_information_create(request, supplier_pk: int):
    """Record financial or reputational information about a supplier: the Procurement Unit, or the OCO
    of one of its contracts. Each active contract of the supplier is escalated to the Procurement Unit;
    the message counts only the contracts this user may see."""
    supplier = access.object_visible(request.user, Supplier, pk=supplier_pk)
    access.require(request.user, "suppliers.record_information", supplier)
    form = SupplierInformationForm(request.POST or None, supplier=supplier)
    if request.method == "POST" and form.is_valid():
        escalations = services.supplier_information_record(information=form.instance, by=request.user)
        messages.success(request, _information_recorded(request.user, escalations))
        return redirect(supplier.get_absolute_url() + "#information")
    return render(
        request,
        "escalations/supplier_information_form.html",
        {"form": form, "supplier": supplier, "nav": "suppliers"},
    )
