"""Writes on the register that span several models, split by subdomain."""

from contracts.services.register import contract_save, document_upload

__all__ = ["contract_save", "document_upload"]
