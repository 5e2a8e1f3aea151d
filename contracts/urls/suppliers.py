"""Merging two records of one supplier, at /suppliers/<pk>/merge/ beside the supplier's own pages."""

from django.urls import path

from contracts.views import suppliers

app_name = "supplier_merge"

urlpatterns = [
    path("<int:pk>/merge/", suppliers.supplier_merge_choose, name="choose"),
    path("<int:pk>/merge/<int:other>/", suppliers.supplier_merge_pair, name="pair"),
]
