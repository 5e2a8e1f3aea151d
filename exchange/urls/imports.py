from django.urls import path

from exchange.views import imports as views

app_name = "imports"

urlpatterns = [
    path("", views.import_start, name="start"),
    path("template.<str:file_format>", views.import_template, name="template"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/confirm/", views.import_confirm, name="confirm"),
]
