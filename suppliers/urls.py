from django.urls import path

from suppliers import search, views

app_name = "suppliers"

urlpatterns = [
    path("", views.SupplierListView.as_view(), name="list"),
    path("new/", views.SupplierEditView.as_view(), name="create"),
    path("duplicates/", views.supplier_duplicates, name="duplicates"),
    path("search/", search.supplier_search, name="search"),
    path("<int:pk>/", views.SupplierDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.SupplierEditView.as_view(), name="edit"),
    path("<int:pk>/history/", views.SupplierHistoryView.as_view(), name="history"),
]
