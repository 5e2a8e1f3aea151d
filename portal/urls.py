"""The supplier portal, at /supplier/: for a supplier's person only (accounts.middleware.SupplierGateMiddleware
keeps them here; portal.views.supplier refuses everyone else)."""

from django.urls import path

from portal.views import supplier

app_name = "portal"

urlpatterns = [
    path("", supplier.home, name="home"),
    path("contracts/<int:pk>/", supplier.contract, name="contract"),
    path("contracts/<int:pk>/documents/<int:document_pk>/", supplier.document, name="document"),
    path("mi-reports/<int:pk>/", supplier.report, name="report"),
    path("notices/<int:pk>/", supplier.notice, name="notice"),
    path("notice-replies/<int:pk>/attachment/", supplier.notice_attachment, name="notice_attachment"),
    path("improvement-notices/<int:pk>/", supplier.improvement_notice, name="improvement_notice"),
    path(
        "improvement-notice-replies/<int:pk>/attachment/",
        supplier.improvement_notice_attachment,
        name="improvement_notice_attachment",
    ),
    path("password/", supplier.PasswordChange.as_view(), name="password_change"),
    path("meetings/<int:pk>/calendar.ics", supplier.meeting_ics, name="meeting_ics"),
    # The invitation's link: its key is a secret, not an object's id.
    path("welcome/<str:key>/", supplier.welcome, name="welcome"),
]
