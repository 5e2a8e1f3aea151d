"""The register's pages, split by subdomain."""

from contracts.views.register import (
    ContractCreateView,
    ContractDetailView,
    ContractHistoryView,
    ContractListView,
    ContractUpdateView,
    DocumentUploadView,
    document_download,
    export_selected,
)

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
