"""Saved views of the register: a person names its current filters and sort, and opens them from its menu."""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from contracts.filters import ContractFilter
from contracts.forms.saved_views import SavedViewForm
from contracts.models import SavedView
from contracts.services import saved_views as services
from core import access


def saved_view_url(view: SavedView) -> str:
    return f"{reverse('contracts:list')}?{view.query}" if view.query else reverse("contracts:list")


def saved_views(request):
    """The person's saved views and those shared with everyone; the form that saves the current filters."""
    user = request.user
    can_share = user.has_perm("contracts.share_saved_view")
    query = ContractFilter.query_of(request.GET)
    form = SavedViewForm(request.POST or None, initial={"query": query}, can_share=can_share)
    if request.method == "POST" and form.is_valid():
        view = services.saved_view_save(
            owner=user,
            name=form.cleaned_data["name"],
            query=ContractFilter.query_of(QueryDict(form.cleaned_data["query"])),
            shared=form.cleaned_data.get("shared", False),
        )
        shared = " and shared with everyone" if view.shared else ""
        messages.success(request, f"View “{view.name}” saved{shared}. It is in the Saved views menu of the register.")
        return redirect(saved_view_url(view))
    views = access.visible(user, SavedView).select_related("owner")
    return render(
        request,
        "contracts/saved_views.html",
        {
            "form": form,
            "views": [(view, saved_view_url(view)) for view in views],
            "current_query": form["query"].value() or "",
            "back_url": f"{reverse('contracts:list')}?{query}" if query else reverse("contracts:list"),
        },
    )


@require_POST
def saved_view_delete(request, pk: int):
    view = access.object_visible(request.user, SavedView, pk=pk)
    access.require(request.user, "contracts.delete_saved_view", view)
    services.saved_view_delete(view=view)
    messages.success(request, f"View “{view.name}” deleted.")
    return redirect("contracts:saved_views")
