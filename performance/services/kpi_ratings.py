"""Each contract's active KPIs counted by their latest rating (KpiRatings), which the Procurement
dashboard reads instead of the KPIs themselves.

`kpi_ratings_refresh` is called by each service that changes a KPI's latest rating or whether it is
active (a result recorded, overridden, deleted or edited; a KPI saved or deleted), in its
transaction, after the change. It counts the contract's KPIs again (a handful of rows) rather than
moving a count: the contract's row is locked first, so a second writer on the same contract waits
and then counts what the first committed. `kpi_ratings_rebuild` counts them all again (after
seeding with SQL, after deleting contracts or KPIs outside the services, or to check)."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q

from performance.models import Kpi, KpiRatings


def _counted(contract_ids: Iterable[int] | None = None):
    """The straightforward count: active KPIs by contract and latest rating ("" for none yet)."""
    kpis = Kpi.objects.filter(is_active=True)
    if contract_ids is not None:
        kpis = kpis.filter(contract__in=contract_ids)
    fields = {key: Count("pk", filter=Q(latest_rating=key)) for key in KpiRatings.FIELDS if key != "unrated"}
    return kpis.order_by().values("contract").annotate(**fields, unrated=Count("pk", filter=Q(latest_rating="")))


def kpi_ratings_counted() -> dict[int, dict[str, int]]:
    """{contract id: {field: n}} of the contracts with active KPIs, counted from the KPIs."""
    return {row.pop("contract"): row for row in _counted()}


@transaction.atomic
def kpi_ratings_refresh(*contract_ids: int | None) -> None:
    """Count again the active KPIs of these contracts by their latest rating."""
    ids = sorted({pk for pk in contract_ids if pk is not None})
    if not ids:
        return
    KpiRatings.objects.bulk_create([KpiRatings(contract_id=pk) for pk in ids], ignore_conflicts=True)
    # Locked in the order of their ids (no deadlock); the count below is a new statement, so it sees
    # whatever a writer that held the lock before us committed.
    list(KpiRatings.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    counted = {row.pop("contract"): row for row in _counted(ids)}
    zeros = dict.fromkeys(KpiRatings.FIELDS, 0)
    for pk in ids:
        KpiRatings.objects.filter(pk=pk).update(**(zeros | counted.get(pk, {})))


@transaction.atomic
def kpi_ratings_rebuild() -> int:
    """Count every contract's KPIs again; the number of rows written."""
    KpiRatings.objects.all().delete()
    rows = (KpiRatings(contract_id=row.pop("contract"), **row) for row in _counted().iterator(chunk_size=5000))
    written = 0
    batch: list[KpiRatings] = []
    for row in rows:
        batch.append(row)
        if len(batch) == 5000:
            written += len(KpiRatings.objects.bulk_create(batch))
            batch = []
    return written + len(KpiRatings.objects.bulk_create(batch))
