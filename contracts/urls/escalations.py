from django.urls import path

from contracts.views import escalations as views

app_name = "escalations"

urlpatterns = [
    path("", views.EscalationListView.as_view(), name="list"),
    path("<int:pk>/", views.escalation_detail, name="detail"),
    path("<int:pk>/manage/", views.escalation_manage, name="manage"),
    path("<int:pk>/updates/", views.escalation_post, name="post"),
    path("updates/<int:pk>/attachment/", views.escalation_attachment, name="attachment"),
    path("contract/<int:contract_pk>/new/", views.escalation_raise, name="raise"),
    path(
        "supplier/<int:supplier_pk>/information/new/",
        views.supplier_information_create,
        name="supplier_information_create",
    ),
]
