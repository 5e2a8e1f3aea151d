"""The data of the dashboards' charts, as JSON for static/js/dashboard.js (each chart also has a table)."""

from django.utils.dateformat import format as date_format

from dashboard.selectors import Portfolio


def categories(portfolio: Portfolio) -> dict:
    return {
        "labels": [row["category__name"] for row in portfolio.by_category],
        "values": [float(row["total_value"]) for row in portfolio.by_category],
        "counts": [row["count"] for row in portfolio.by_category],
        # An empty chart says "nothing to show" rather than drawing an axis of £0.
        "empty": not any(row["total_value"] for row in portfolio.by_category),
    }


def trend(data: dict) -> dict:
    return {
        "labels": [date_format(month, "M Y") for month in data["months"]],
        "series": [{"key": s["rating"], "label": s["label"], "counts": s["counts"]} for s in data["series"]],
        "empty": not any(any(s["counts"]) for s in data["series"]),
    }


def trend_rows(data: dict) -> list[tuple]:
    """Month by month: the counts of each rating, for the table beside the chart."""
    return [(month, [s["counts"][i] for s in data["series"]]) for i, month in enumerate(data["months"])]
