"""The supplier's timeline tab, at /suppliers/<pk>/timeline/ beside the supplier's own pages."""

from django.urls import path

from contracts.views import timeline

app_name = "timeline"

urlpatterns = [
    path("<int:pk>/timeline/", timeline.supplier_timeline, name="supplier"),
]
