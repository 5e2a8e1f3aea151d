"""Writes about a contract's milestones and the supplier's MI reports.

Each write names its author in the audit trail (django-simple-history)."""

from django.db import transaction

from accounts.models import User
from contracts.documents import validate_document
from core.audit import history_user_set
from performance.models import Milestone, MiReport


@transaction.atomic
def milestone_save(*, milestone: Milestone, by: User) -> Milestone:
    """Save a validated milestone; a blank owner means the contract's OCO."""
    if milestone.owner_id is None and milestone.contract.oco_id:
        milestone.owner_id = milestone.contract.oco_id
    history_user_set(milestone, by)
    milestone.save()
    return milestone


@transaction.atomic
def mi_report_save(*, report: MiReport, by: User, upload=None) -> MiReport:
    """Save a validated MI report, expected or received, with its file when one is uploaded."""
    if upload is not None:
        validate_document(upload)
        report.file.save(upload.name, upload, save=False)
        report.file_name = upload.name[:255]
    if report.pk is None:
        report.recorded_by = by
    history_user_set(report, by)
    report.save()
    return report
