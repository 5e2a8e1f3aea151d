"""The market dataset's page for the Procurement Unit: what is loaded, by CPV group, and an upload of
published award notices (the same load as `manage.py load_market_awards`)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from core import access
from exchange.forms import OcdsUploadForm
from exchange.services import ocds_read as reader
from exchange.services.market_load import market_awards_load
from market.models import MarketAward
from market.selectors import MIN_COMPARABLE, group_summaries


@require_http_methods(["GET", "POST"])
def market(request):
    access.require(request.user, "market.load_awards")
    bound = request.method == "POST"
    form = OcdsUploadForm(request.POST if bound else None, request.FILES if bound else None)
    if bound and form.is_valid():
        form.cleaned_data["file"].seek(0)
        result = market_awards_load(package=reader.load_package(form.cleaned_data["file"].read()))
        skipped = sum(result.skipped.values())
        messages.success(
            request,
            ngettext("%(count)d market award added", "%(count)d market awards added", result.created)
            % {"count": result.created}
            + f", {result.updated} updated, {skipped} skipped"
            + (f" ({', '.join(f'{r}: {n}' for r, n in sorted(result.skipped.items()))})." if skipped else "."),
        )
        return redirect("ocds:market")
    context = {
        "form": form,
        "groups": group_summaries(),
        "total": MarketAward.objects.count(),
        "min_comparable": MIN_COMPARABLE,
    }
    return render(request, "exchange/ocds/market.html", context, status=400 if form.errors else 200)
