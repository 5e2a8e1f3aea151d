"""The Performance tab's result rows, prebuilt: each row's links, rating and date made here, once, so
the template prints them rather than running `{% url %}` and filters on hundreds of rows."""

from django.urls import reverse
from django.utils import timezone

from core.formatting import long_date
from performance.models import KpiResult
from performance.ratings import POOR

_PK = 987654321  # stands in for a result's pk while a URL is reversed once


class UrlPattern:
    """A URL with a pk in it, reversed once; `for_pk` fills in each row's pk by joining strings."""

    def __init__(self, name: str):
        self.prefix, self.suffix = reverse(name, args=[_PK]).split(str(_PK))

    def for_pk(self, pk: int) -> str:
        return f"{self.prefix}{pk}{self.suffix}"


def result_rows(results: list[KpiResult]) -> list[KpiResult]:
    """The results (decorated by performance.charts.decorate) with what a row of the results table shows."""
    correct = UrlPattern("performance:result_correct")
    override = UrlPattern("performance:result_override")
    evidence = UrlPattern("performance:evidence")
    for result in results:
        result.correct_url = correct.for_pk(result.pk)
        result.override_url = override.for_pk(result.pk)
        result.evidence_url = evidence.for_pk(result.pk) if result.evidence else ""
        result.updated_on = long_date(timezone.localtime(result.updated_at))
        result.is_poor = result.effective_rating in POOR
    return results
