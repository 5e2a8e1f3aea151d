from django.urls import path

from contracts.views import lifecycle as views

app_name = "lifecycle"

urlpatterns = [
    path("contract/<int:pk>/", views.contract_lifecycle, name="contract"),
    path("contract/<int:pk>/variations/new/", views.variation_create, name="variation_create"),
    path("variations/<int:pk>/notice/", views.variation_notice, name="variation_notice"),
    path("contract/<int:contract_pk>/extension-options/new/", views.extension_option_edit, name="extension_create"),
    path("extension-options/<int:pk>/edit/", views.extension_option_edit, name="extension_edit"),
    path("contract/<int:pk>/decision/", views.renewal_decide, name="renewal_decide"),
    path("renewals/", views.renewals, name="renewals"),
    path("contract/<int:pk>/end/", views.contract_end, name="contract_end"),
    path("termination-notices/", views.termination_notices, name="termination_notices"),
    path("endings/<int:pk>/notice/", views.termination_notice, name="termination_notice"),
    path("contract/<int:pk>/savings/new/", views.saving_create, name="saving_create"),
    path("savings/<int:pk>/validate/", views.saving_validate, name="saving_validate"),
    path("savings/", views.savings, name="savings"),
    path("training/", views.training, name="training"),
    path("training/add/", views.training_add, name="training_add"),
    path("training/mine/", views.training_mine, name="training_mine"),
    path("handover/", views.handover, name="handover"),
]
