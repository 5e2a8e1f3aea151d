from django.urls import path

from performance.views import remedies

urlpatterns = [
    path("contract/<int:pk>/remedies/", remedies.contract_remedies, name="remedies"),
    path(
        "contract/<int:pk>/improvement-notices/new/",
        remedies.improvement_notice_create,
        name="improvement_notice_create",
    ),
    path("improvement-notices/<int:pk>/", remedies.improvement_notice, name="improvement_notice"),
    path(
        "improvement-notice-replies/<int:pk>/attachment/",
        remedies.improvement_notice_reply_attachment,
        name="improvement_notice_reply_attachment",
    ),
    path(
        "improvement-notices/<int:pk>/notice/",
        remedies.remedy_notice,
        {"kind": "improvement-notice"},
        name="improvement_notice_published",
    ),
    path("contract/<int:pk>/service-credits/new/", remedies.service_credit_create, name="service_credit_create"),
    path("contract/<int:pk>/breaches/new/", remedies.breach_create, name="breach_create"),
    path("breaches/<int:pk>/", remedies.breach, name="breach"),
    path("breaches/<int:pk>/notice/", remedies.remedy_notice, {"kind": "breach"}, name="breach_notice_published"),
]
