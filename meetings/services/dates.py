"""Each contract's last held face-to-face meeting and its latest planned one, stored on its meeting
plan (ContractMeetingPlan.last_held_on, .last_planned_at) by the services that save meetings, in their
transaction, so the dashboard's "not arranged in time" list joins one row per contract instead of
searching every contract's meetings.
`last_held_rebuild` works them all out again (after seeding with SQL; `manage.py meeting_dates_rebuild`)."""

from django.db import connection, transaction
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from contracts.models import Contract
from meetings.models import ContractMeetingPlan, Meeting


def _planned_at():
    """When the latest planned face-to-face meeting of each contract starts, as a subquery."""
    planned = Meeting.objects.face_to_face().planned().filter(contract=OuterRef("contract_id"))
    return Subquery(planned.order_by().values("contract").annotate(last=Max("starts_at")).values("last")[:1])


def _held_on():
    """The local date of the last held face-to-face meeting of each contract, as a subquery."""
    held = Meeting.objects.face_to_face().held().filter(contract=OuterRef("contract_id"))
    return Subquery(
        held.order_by()
        .values("contract")
        .annotate(last=Max(TruncDate("starts_at", tzinfo=timezone.get_current_timezone())))
        .values("last")[:1]
    )


@transaction.atomic
def last_held_refresh(*, contract: Contract) -> None:
    """Store the contract's last held face-to-face meeting again (after one of its meetings changed)."""
    # One writer per contract: a meeting held at the same moment is seen by whichever comes second.
    Contract.objects.select_for_update().filter(pk=contract.pk).first()
    face_to_face = Meeting.objects.face_to_face().filter(contract=contract).order_by("-starts_at")
    last = face_to_face.held().values_list("starts_at", flat=True).first()
    last_on = timezone.localdate(last) if last else None
    planned = face_to_face.planned().values_list("starts_at", flat=True).first()
    updated = ContractMeetingPlan.objects.filter(contract=contract).update(
        last_held_on=last_on, last_planned_at=planned
    )
    if not updated and (last_on is not None or planned is not None):
        ContractMeetingPlan.objects.create(contract=contract, last_held_on=last_on, last_planned_at=planned)


@transaction.atomic
def last_held_rebuild() -> int:
    """Work out every contract's last held and latest planned face-to-face meetings again; the number
    of plans changed."""
    recorded = Meeting.objects.face_to_face().filter(status__in=[Meeting.Status.HELD, Meeting.Status.PLANNED])
    with_meetings = recorded.order_by().values("contract").distinct()
    missing = with_meetings.exclude(contract__in=ContractMeetingPlan.objects.values("contract"))
    ContractMeetingPlan.objects.bulk_create(
        [ContractMeetingPlan(contract_id=row["contract"]) for row in missing], batch_size=2000
    )
    if connection.vendor == "postgresql":
        plans, meetings = ContractMeetingPlan._meta.db_table, Meeting._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE {plans} p SET last_held_on = last.on_day, last_planned_at = last.planned_at
                FROM (
                    SELECT c.id AS contract_id, (
                        SELECT (max(m.starts_at) AT TIME ZONE %s)::date FROM {meetings} m
                        WHERE m.contract_id = c.id AND m.kind = %s AND m.status = %s
                    ) AS on_day, (
                        SELECT max(m.starts_at) FROM {meetings} m
                        WHERE m.contract_id = c.id AND m.kind = %s AND m.status = %s
                    ) AS planned_at
                    FROM {Contract._meta.db_table} c
                ) last
                WHERE last.contract_id = p.contract_id AND (
                    last.on_day IS DISTINCT FROM p.last_held_on OR last.planned_at IS DISTINCT FROM p.last_planned_at
                )
                """,  # noqa: S608 - table names from the models, no input
                [
                    timezone.get_current_timezone_name(),
                    Meeting.Kind.FACE_TO_FACE,
                    Meeting.Status.HELD,
                    Meeting.Kind.FACE_TO_FACE,
                    Meeting.Status.PLANNED,
                ],
            )
            return cursor.rowcount
    return ContractMeetingPlan.objects.update(last_held_on=_held_on(), last_planned_at=_planned_at())
