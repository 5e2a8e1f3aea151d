"""Kept only because contracts/migrations/0006_import_jobs.py names this function: the ImportJob
model now lives in exchange.models (the same table, contracts_importjob)."""

import uuid


def import_upload_to(instance, filename: str) -> str:
    return f"contract-imports/{uuid.uuid4().hex}"
