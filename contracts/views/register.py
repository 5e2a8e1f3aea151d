from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import CreateView, DetailView, FormView, UpdateView
from django.views.generic.base import ContextMixin
from rules.contrib.views import PermissionRequiredMixin

from accounts.http import AuthenticatedHttpRequest
from contracts import services
from contracts.documents import private_download
from contracts.forms.register import ContractForm, ContractOperationalForm, DocumentUploadForm
from contracts.models import (
    Contract,
    ContractAssignment,
    ContractDocument,
    ContractEnding,
    Escalation,
    ExtensionOption,
    KraljicAssessment,
    RenewalDecision,
    Saving,
    Variation,
)
from contracts.views.escalations import contract_escalations_context
from core import access
from core.audit import differences, history_entries
from market.selectors import comparison as market_comparison


class ContractScopeMixin(ContextMixin):
    """Every lookup of a contract goes through the user's scope: outsiders get 404."""

    request: HttpRequest

    def get_queryset(self):
        return access.visible(self.request.user, Contract.objects.for_page())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = getattr(self, "object", None)
        if isinstance(contract, Contract):
            user = self.request.user
            context["can_edit"] = user.has_perm("contracts.change_contract", contract)
            context["can_edit_operational"] = user.has_perm("contracts.change_contract_operational", contract)
        return context


class ContractDetailView(ContractScopeMixin, PermissionRequiredMixin, access.LookedUpOnce, DetailView):
    permission_required = "contracts.view_contract"
    template_name = "contracts/contract_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract, user = self.object, self.request.user
        documents = list(contract.documents.select_related("uploaded_by"))
        context.update(
            current_documents=[d for d in documents if d.is_current],
            previous_documents=[d for d in documents if not d.is_current],
            assignments=contract.assignments.select_related("user", "assigned_by").order_by("role", "-started_at"),
            supplier_contacts=contract.supplier.contacts.all(),
            joint_suppliers=list(contract.joint_suppliers.all()),
            can_see_market=user.has_perm("market.view_comparison"),
            can_assess=user.has_perm("contracts.assess_kraljic", contract),
            can_upload=user.has_perm("contracts.add_contractdocument", contract),
            upload_form=DocumentUploadForm(),
            tab="details",
        )
        context.update(contract_escalations_context(contract=contract, user=user))
        if context["can_see_market"]:
            market = market_comparison(contract)
            context.update(market=market, market_position=market.position(contract.annual_value) if market else "")
        return context


class ContractHistoryView(ContractScopeMixin, PermissionRequiredMixin, access.LookedUpOnce, DetailView):
    permission_required = "contracts.view_contract"
    template_name = "contracts/contract_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.object
        context["entries"] = history_entries(
            contract.history.all(),
            *(model.history.filter(contract_id=contract.pk) for model in HISTORY_OF_PARTS),
            subject=_history_subject,
            hide=["contract"],
        )
        context["tab"] = "history"
        return context


# What a contract's History tab shows besides the contract itself.
HISTORY_OF_PARTS = (
    ContractAssignment,
    ContractDocument,
    Variation,
    ExtensionOption,
    RenewalDecision,
    ContractEnding,
    Saving,
    Escalation,
    KraljicAssessment,
)


def _history_subject(instance) -> str:
    if isinstance(instance, ContractAssignment):
        return f"{instance.get_role_display()} assignment"
    if isinstance(instance, ContractDocument):
        return f"{instance.get_kind_display()} document v{instance.version}"
    if isinstance(instance, Variation):
        return f"Variation {instance.number}"
    if isinstance(instance, Escalation):
        return f"Escalation: {instance.title}"
    if isinstance(instance, Contract):
        return "Contract"
    return instance._meta.verbose_name.capitalize()


class ContractCreateView(PermissionRequiredMixin, CreateView):
    request: AuthenticatedHttpRequest
    permission_required = "contracts.add_contract"
    form_class = ContractForm
    template_name = "contracts/contract_form.html"

    def form_valid(self, form):
        self.object = services.contract_save(contract=form.instance, by=self.request.user)
        messages.success(self.request, f"Contract {self.object.reference} added to the register.")
        if self.object.oco and not self.object.oco.has_current_training(on=timezone.localdate()):
            messages.warning(
                self.request,
                f"{self.object.oco} has no current commercial-awareness training: the policy asks it of every OCO.",
            )
        return redirect(self.object)


class ContractUpdateView(ContractScopeMixin, PermissionRequiredMixin, access.LookedUpOnce, UpdateView):
    """The Procurement Unit edits everything; an OCO edits the operational fields."""

    request: AuthenticatedHttpRequest

    permission_required = "contracts.change_contract_operational"
    template_name = "contracts/contract_form.html"

    def get_form_class(self):
        if self.request.user.has_perm("contracts.change_contract", self.object):
            return ContractForm
        return ContractOperationalForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["operational_only"] = isinstance(context["form"], ContractOperationalForm)
        return context

    def form_valid(self, form):
        try:
            self.object = services.contract_save(
                contract=form.instance, by=self.request.user, version=form.cleaned_data.get("version")
            )
        except services.ContractChanged as changed:
            # Someone saved it meanwhile: keep this user's input, show what is saved now, and let a
            # second save (with the current version) be a deliberate choice.
            form.add_error(None, changed)
            form.show_current_version(changed.current.version)
            names = [name for name in form.fields if name != "version"]
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    saved_by=changed.saved_by,
                    differences=differences(changed.current, form.instance, names),
                )
            )
        messages.success(self.request, f"Changes to {self.object.reference} saved.")
        if (
            isinstance(form, ContractForm)
            and self.object.oco
            and not self.object.oco.has_current_training(on=timezone.localdate())
        ):
            messages.warning(
                self.request,
                f"{self.object.oco} has no current commercial-awareness training: the policy asks it of every OCO.",
            )
        return redirect(self.object)


class DocumentUploadView(ContractScopeMixin, PermissionRequiredMixin, FormView):
    request: AuthenticatedHttpRequest
    permission_required = "contracts.add_contractdocument"
    form_class = DocumentUploadForm
    template_name = "contracts/document_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.contract = access.object_visible(request.user, Contract.objects.for_page(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.contract

    def get_context_data(self, **kwargs):
        return super().get_context_data(contract=self.contract, **kwargs)

    def form_valid(self, form):
        document = services.document_upload(
            contract=self.contract,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
            shared_with_supplier=form.cleaned_data["shared_with_supplier"],
            by=self.request.user,
        )
        messages.success(
            self.request,
            f"Uploaded {document.original_name} as {document.get_kind_display().lower()} version {document.version}.",
        )
        return redirect(self.contract.get_absolute_url() + "#documents")


def document_download(request, pk: int, document_pk: int):
    """Documents are served only here, after the contract's scope is checked."""
    document = access.object_visible(
        request.user, ContractDocument.objects.filter(contract=pk), through="contract", pk=document_pk
    )
    return private_download(document.file, filename=document.original_name, content_type=document.content_type)
