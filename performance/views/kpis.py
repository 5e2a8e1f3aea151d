from django.shortcuts import get_object_or_404, render
from django.urls import path

from contracts.models import Contract


def contract_performance(request, pk: int):
    contract = get_object_or_404(Contract.objects.visible_to(request.user), pk=pk)
    return render(request, "performance/contract_performance.html", {"contract": contract, "tab": "performance"})


urlpatterns = [
    path("contract/<int:pk>/", contract_performance, name="contract"),
]
