from django.urls import path

from contracts.views import ocds

app_name = "ocds"

# config/urls.py passes `milestone_source` (a dotted path to performance.ocds.milestones_by_contract)
# to these views: contracts may not import performance.
urlpatterns = [
    path("import/", ocds.import_upload, name="import"),
    path("import/preview/", ocds.import_preview, name="import_preview"),
    path("import/confirm/", ocds.import_confirm, name="import_confirm"),
    path("export.json", ocds.export, name="export"),
]
