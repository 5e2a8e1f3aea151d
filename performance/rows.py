"""The Performance tab's result rows, prebuilt: each row's links, rating and date made here, once, so
the template prints them rather than running `{% url %}` and filters on hundreds of rows."""

from django.utils import timezone

from core.formatting import long_date
from core.links import UrlPattern
from performance.models import KpiResult
from performance.ratings import POOR


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
