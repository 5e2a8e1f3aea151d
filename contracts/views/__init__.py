"""The register's pages, split by subdomain."""

from contracts.views.register import (
    ContractCreateView,
    ContractDetailView,
    ContractHistoryView,
    ContractUpdateView,
    DocumentUploadView,
    document_download,
)
from contracts.views.register_list import ContractListView, export_selected

__all__ = [
    "ContractCreateView",
    "ContractDetailView",
    "ContractHistoryView",
    "ContractListView",
    "ContractUpdateView",
    "DocumentUploadView",
    "document_download",
    "export_selected",
]
