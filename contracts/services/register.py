"""Writes on the register that span several models."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from contracts.documents import validate_document
from contracts.models import Activity, Contract, ContractAssignment, ContractDocument
from contracts.services.timeline import timeline_record
from core.audit import history_user_set
from core.formatting import long_date
from notifications.models import Kind
from notifications.services import tasks_resolve


def _assignment_record(*, contract: Contract, role: str, user: User | None, by: User) -> None:
    """Close the current holder's assignment and open one for the new holder."""
    now = timezone.now()
    current = (
        ContractAssignment.objects.select_for_update()
        .filter(contract=contract, role=role, ended_at__isnull=True)
        .first()
    )
    if current is not None:
        if user is not None and current.user_id == user.pk:
            return
        current.ended_at = now
        history_user_set(current, by)
        current.save(update_fields=["ended_at"])
    if user is not None:
        assignment = ContractAssignment(contract=contract, role=role, user=user, started_at=now, assigned_by=by)
        history_user_set(assignment, by)
        assignment.save()


def _assignments_sync(*, contract: Contract, by: User) -> None:
    _assignment_record(contract=contract, role=ContractAssignment.Role.OCO, user=contract.oco, by=by)
    _assignment_record(contract=contract, role=ContractAssignment.Role.SRO, user=contract.sro, by=by)


class ContractChanged(ValidationError):
    """Someone else saved the contract after the form was loaded: the save is refused."""

    def __init__(self, *, current: Contract, saved_by: User | None, saved_at: datetime, by: User):
        self.current, self.saved_by, self.saved_at = current, saved_by, saved_at
        local = timezone.localtime(saved_at)
        when = f"{local:%H:%M}" + ("" if local.date() == timezone.localdate() else f" on {long_date(local)}")
        if saved_by is not None and saved_by.pk == by.pk:
            message = (
                f"You saved this contract at {when} in another tab or window while you were editing it here. "
                "Your changes here are not saved yet: check the differences below and save again."
            )
        else:
            who = (saved_by.get_full_name() or saved_by.username) if saved_by is not None else "Someone else"
            message = (
                f"{who} saved this contract at {when} while you were editing it. "
                "Your changes are not saved yet: check their changes below and save again."
            )
        super().__init__(message, code="contract_changed")


def _version_check(*, contract: Contract, version: int, by: User) -> None:
    """Lock the contract's row and refuse the save if its version is no longer the one the form
    was loaded with."""
    current = Contract.objects.select_for_update().get(pk=contract.pk)
    if current.version == version:
        return
    latest = current.history.select_related("history_user").order_by("-history_date", "-history_id").first()
    raise ContractChanged(
        current=current,
        saved_by=latest.history_user if latest else None,
        saved_at=latest.history_date if latest else current.updated_at,
        by=by,
    )


@transaction.atomic
def contract_save(*, contract: Contract, by: User, version: int | None = None) -> Contract:
    """Save a new or changed, validated contract; a new OCO or SRO is kept as
    an assignment history (who held the role from when to when).

    `version` is the contract's version when the edit form was loaded: if someone has saved it
    since, nothing is saved and ContractChanged says who and when (optimistic concurrency).
    Every save adds one to the version (Contract.save)."""
    if version is not None and contract.pk is not None:
        _version_check(contract=contract, version=version, by=by)
    before = Contract.objects.filter(pk=contract.pk).values_list("status", flat=True).first() if contract.pk else None
    history_user_set(contract, by)
    if contract.pk is None or not contract.variations.exists():
        # Until a variation changes them, the values at award are the current ones.
        contract.original_total_value = contract.total_value
        contract.original_end_date = contract.end_date
    contract.save()
    _assignments_sync(contract=contract, by=by)
    if before is not None and before != contract.status:
        timeline_record(
            contract=contract,
            kind=Activity.Kind.STATUS,
            summary=f"Status changed from {Contract.Status(before).label.lower()} "
            f"to {contract.get_status_display().lower()}",
            by=by,
        )
    if not contract.sro_problem:
        tasks_resolve(subject=contract, kinds=[Kind.STRATEGIC_WITHOUT_SRO])
    if contract.status != Contract.Status.ACTIVE or contract.end_date >= timezone.localdate():
        tasks_resolve(subject=contract, kinds=[Kind.CONTRACT_PAST_END])
    return contract


@transaction.atomic
def document_upload(
    *, contract: Contract, kind: str, upload, by: User, description: str = "", shared_with_supplier: bool = False
) -> ContractDocument:
    """Store a new version of a contract document; it becomes the current one of its kind."""
    if kind not in ContractDocument.Kind.values:
        raise ValidationError({"kind": f"“{kind}” is not a kind of contract document."})
    doc_type = validate_document(upload)
    # Lock the contract so two uploads of the same kind cannot take one version number.
    Contract.objects.select_for_update().filter(pk=contract.pk).first()
    documents = ContractDocument.objects.filter(contract=contract, kind=kind)
    latest = documents.aggregate(latest=Max("version"))["latest"] or 0
    for previous in documents.filter(is_current=True):
        previous.is_current = False
        history_user_set(previous, by)
        previous.save(update_fields=["is_current"])
    document = ContractDocument(
        contract=contract,
        kind=kind,
        version=latest + 1,
        is_current=True,
        original_name=upload.name[:255],
        content_type=doc_type.content_type,
        size=upload.size,
        description=description,
        shared_with_supplier=shared_with_supplier,
        uploaded_by=by,
    )
    document.file.save(upload.name, upload, save=False)
    history_user_set(document, by)
    document.save()
    timeline_record(
        contract=contract,
        kind=Activity.Kind.DOCUMENT,
        summary=f"{document.get_kind_display()} version {document.version} uploaded: {document.original_name}",
        details=description,
        subject=document,
        by=by,
    )
    return document
