from django.urls import path
from django.views.generic import RedirectView

from contracts.views.lifecycle import endings, handover, renewals, savings, tab, training, variations

app_name = "lifecycle"

urlpatterns = [
    path("contract/<int:pk>/", tab.contract_lifecycle, name="contract"),
    path("contract/<int:pk>/variations/new/", variations.variation_create, name="variation_create"),
    path("variations/<int:pk>/notice/", variations.variation_notice, name="variation_notice"),
    path("variations/<int:pk>/agree/", variations.variation_agree, name="variation_agree"),
    path(
        "contract/<int:contract_pk>/extension-options/new/", variations.extension_option_edit, name="extension_create"
    ),
    path("extension-options/<int:pk>/edit/", variations.extension_option_edit, name="extension_edit"),
    path("contract/<int:pk>/decision/", variations.renewal_decide, name="renewal_decide"),
    path("renewals/", renewals.renewals, name="renewals"),
    path("contract/<int:pk>/end/", endings.contract_end, name="contract_end"),
    # The one list of termination notices due is exchange's (with its CSV and JSON); the old address stays.
    path(
        "termination-notices/",
        RedirectView.as_view(pattern_name="exchange:termination_notices", query_string=True),
        name="termination_notices",
    ),
    path("endings/<int:pk>/notice/", endings.termination_notice, name="termination_notice"),
    path("contract/<int:pk>/savings/new/", savings.saving_create, name="saving_create"),
    path("savings/<int:pk>/validate/", savings.saving_validate, name="saving_validate"),
    path("savings/", savings.savings, name="savings"),
    path("training/", training.training, name="training"),
    path("training/add/", training.training_add, name="training_add"),
    path("training/mine/", training.training_mine, name="training_mine"),
    path("handover/", handover.handover, name="handover"),
    path("handover/selected/", handover.handover_selected, name="handover_selected"),
]
