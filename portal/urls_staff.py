"""The force's side of the supplier portal, under /suppliers/portal/."""

from django.urls import path

from portal.views import staff

app_name = "supplier_access"

urlpatterns = [
    path("contacts/<int:pk>/invite/", staff.invite, name="invite"),
    path("contacts/<int:pk>/suspend/", staff.suspend, name="suspend"),
    path("submissions/<int:pk>/", staff.submission, name="submission"),
    path("escalations/<int:pk>/share/", staff.escalation_share, name="escalation_share"),
    path("improvement-notices/<int:pk>/share/", staff.improvement_notice_share, name="improvement_notice_share"),
]
