from django.urls import path

from exchange.views import market, ocds

app_name = "ocds"

urlpatterns = [
    path("import/", ocds.import_upload, name="import"),
    path("import/preview/", ocds.import_preview, name="import_preview"),
    path("import/confirm/", ocds.import_confirm, name="import_confirm"),
    path("export.json", ocds.export, name="export"),
    path("market/", market.market, name="market"),
]
