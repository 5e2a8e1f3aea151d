from decimal import Decimal

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.views.generic import DetailView, UpdateView
from django_filters.views import FilterView
from rules.contrib.views import PermissionRequiredMixin

from accounts.http import AuthenticatedHttpRequest
from core import access
from core.audit import history_entries
from suppliers import selectors, services
from suppliers.filters import SupplierFilter
from suppliers.forms import SupplierContactFormSet, SupplierForm
from suppliers.models import CompanyRecord, Supplier, SupplierContact


class SupplierScopeMixin:
    request: HttpRequest

    def get_queryset(self):
        return Supplier.objects.visible_to(self.request.user)


class SupplierListView(SupplierScopeMixin, FilterView):
    request: AuthenticatedHttpRequest
    template_name = "suppliers/supplier_list.html"
    filterset_class = SupplierFilter
    paginate_by = 25

    def get_queryset(self):
        user = self.request.user
        visible = Q() if user.sees_everything else access.named_on(user, "contracts")
        active = visible & Q(contracts__status="active")
        return (
            super()
            .get_queryset()
            .annotate(
                active_contracts=Count("contracts", filter=active, distinct=True),
                # Only the contracts this user can see count towards the value, as for the count.
                active_value=Sum("contracts__total_value", filter=active),
            )
            .current()
            .with_key_flag()
            .order_by("name")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["nav"] = "suppliers"
        context["can_add"] = self.request.user.has_perm("suppliers.add_supplier")
        context["can_merge"] = self.request.user.has_perm("suppliers.merge_supplier")
        # The overview with the key suppliers is the dashboard's (it reads performance too).
        context["can_view_overview"] = self.request.user.has_perm("contracts.view_supplier_overview")
        return context


class SupplierDetailView(SupplierScopeMixin, DetailView):
    template_name = "suppliers/supplier_detail.html"

    def get(self, request, *args, **kwargs):
        # A supplier merged into another: its page is the survivor's, for whoever may see that one
        # (an OCO no longer sees the merged record, whose contracts have moved).
        survivor = (
            Supplier.objects.filter(pk=kwargs["pk"], merged_into__in=Supplier.objects.visible_to(request.user))
            .values_list("merged_into", flat=True)
            .first()
        )
        if survivor is not None:
            return redirect("suppliers:detail", pk=survivor)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # The key-supplier designation and its plan (contracts.KeySupplier), by its relation's name.
        return super().get_queryset().with_key_flag().select_related("key_supplier__lead")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        supplier, user = self.object, self.request.user
        # Only the contracts this user may see, even on a supplier they may see.
        contracts = list(supplier.contracts.visible_to(user).select_related("oco", "category").order_by("-end_date"))
        active = [c for c in contracts if c.status == "active"]
        contacts = list(supplier.contacts.select_related("user"))
        context.update(
            contracts=contracts,
            active_contract_count=len(active),
            active_contract_value=sum((c.total_value for c in active), Decimal(0)),
            information=supplier.information.select_related("recorded_by"),
            contacts=contacts,
            company_record=CompanyRecord.objects.filter(supplier=supplier).first(),
            # The supplier portal (portal.rules): the rule depends on the supplier alone, so one contact answers.
            can_invite=bool(contacts) and user.has_perm("portal.invite_contact", contacts[0]),
            can_suspend=bool(contacts) and user.has_perm("portal.suspend_contact", contacts[0]),
            can_edit=user.has_perm("suppliers.change_supplier", supplier),
            can_record_information=user.has_perm("suppliers.record_information", supplier),
            can_merge=user.has_perm("suppliers.merge_supplier", supplier),
            can_manage_key_suppliers=user.has_perm("contracts.manage_key_suppliers"),
            tab="details",
        )
        return context


class SupplierHistoryView(SupplierScopeMixin, DetailView):
    template_name = "suppliers/supplier_history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = history_entries(
            self.object.history.all(),
            SupplierContact.history.filter(supplier_id=self.object.pk),
            subject=lambda i: f"Contact {i.name}" if isinstance(i, SupplierContact) else "Supplier",
            hide=["supplier"],
        )
        context["tab"] = "history"
        return context


class SupplierEditView(SupplierScopeMixin, PermissionRequiredMixin, access.LookedUpOnce, UpdateView):
    """Create (no pk) or edit a supplier with its contacts, for the Procurement Unit."""

    form_class = SupplierForm
    template_name = "suppliers/supplier_form.html"

    def get_permission_required(self):
        return ["suppliers.change_supplier" if "pk" in self.kwargs else "suppliers.add_supplier"]

    def get_object(self, queryset=None):
        return super().get_object(queryset) if "pk" in self.kwargs else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("contacts", SupplierContactFormSet(instance=self.object, prefix="contacts"))
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        contacts = SupplierContactFormSet(request.POST, instance=self.object, prefix="contacts")
        if not (form.is_valid() and contacts.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, contacts=contacts))
        supplier = services.supplier_save(form=form, contacts=contacts, by=request.user)
        messages.success(request, f"Supplier {supplier.name} saved.")
        return redirect(supplier)


def supplier_duplicates(request):
    """Pairs of suppliers that are probably one company, for the Procurement Unit to merge."""
    access.require(request.user, "suppliers.merge_supplier")
    return render(
        request,
        "suppliers/supplier_duplicates.html",
        {"pairs": selectors.likely_duplicates(), "shown": selectors.DUPLICATES_SHOWN, "nav": "suppliers"},
    )
