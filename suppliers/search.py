"""The supplier search behind the contract form's supplier box: a few suppliers whose name contains
the words typed (or with that Companies House number), among those the person may see."""

from django.db.models import Q
from django.http import JsonResponse

from core import access
from suppliers.models import Supplier

LIMIT = 10


def supplier_label(supplier: Supplier) -> str:
    """How a supplier is written in the box: its name, and its Companies House number to tell namesakes apart."""
    number = supplier.companies_house_number
    return f"{supplier.name} ({number})" if number else supplier.name


def suppliers_found(user, text: str):
    text = " ".join(text.replace("\x00", "").split())[:100]
    if len(text) < 2:
        return Supplier.objects.none()
    words = Q()
    for word in text.split():
        words &= Q(name__icontains=word)
    # A supplier merged into another is not offered: its survivor is.
    found = (
        access.visible(user, Supplier)
        .filter(merged_into__isnull=True)
        .filter(words | Q(companies_house_number=text.upper()))
    )
    return found.order_by("name", "pk").only("name", "companies_house_number")[:LIMIT]


def supplier_search(request):
    """JSON for static/js/supplier_search.js: {"results": [{"id": 1, "label": "Name (01234567)"}]}."""
    results = [
        {"id": s.pk, "label": supplier_label(s)} for s in suppliers_found(request.user, request.GET.get("q", ""))
    ]
    return JsonResponse({"results": results})
