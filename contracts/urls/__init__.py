from django.urls import path

from contracts import views
from contracts.views import key_suppliers, kraljic, saved_views

app_name = "contracts"

urlpatterns = [
    path("", views.ContractListView.as_view(), name="list"),
    path("new/", views.ContractCreateView.as_view(), name="create"),
    path("chosen/export/", views.export_selected, name="export_selected"),
    path("views/", saved_views.saved_views, name="saved_views"),
    path("views/<int:pk>/delete/", saved_views.saved_view_delete, name="saved_view_delete"),
    path("<int:pk>/", views.ContractDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ContractUpdateView.as_view(), name="edit"),
    path("<int:pk>/history/", views.ContractHistoryView.as_view(), name="history"),
    path("<int:pk>/documents/upload/", views.DocumentUploadView.as_view(), name="document_upload"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download, name="document_download"),
    path("<int:pk>/kraljic/", kraljic.assess, name="kraljic_assess"),
    path("<int:pk>/kraljic/history/", kraljic.assessments, name="kraljic_history"),
    path("kraljic/", kraljic.matrix, name="kraljic_matrix"),
    path("reviews/", kraljic.review_rounds, name="review_rounds"),
    path("reviews/<int:pk>/", kraljic.review_round, name="review_round"),
    path("reviews/<int:pk>/close/", kraljic.review_close, name="review_close"),
    path("reviews/<int:pk>/confirm/", kraljic.review_confirm_selected, name="review_confirm_selected"),
    path("reviews/items/<int:pk>/confirm/", kraljic.review_confirm, name="review_confirm"),
    path("sro-rules/", kraljic.sro_rules, name="sro_rules"),
    path("key-suppliers/<int:supplier_pk>/", key_suppliers.key_supplier, name="key_supplier"),
    path("key-suppliers/<int:supplier_pk>/remove/", key_suppliers.key_supplier_remove, name="key_supplier_remove"),
    path("key-suppliers/<int:supplier_pk>/review/", key_suppliers.key_supplier_review, name="key_supplier_review"),
]
