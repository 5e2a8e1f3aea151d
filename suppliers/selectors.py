"""Reads about who a supplier is: the likely existing matches of a name, and the likely duplicates.

On PostgreSQL "likely" is trigram similarity of the normalised names (pg_trgm); elsewhere (SQLite,
`make run`) it falls back to the same normalised name.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Q

from suppliers.identity import normalise_company_number, normalise_name
from suppliers.models import Supplier

# How alike two normalised names must be (0 to 1) to be offered as the same supplier.
MATCH_SIMILARITY = 0.45
DUPLICATE_SIMILARITY = 0.6
DUPLICATES_SHOWN = 100


def _trigrams() -> bool:
    return connection.vendor == "postgresql"


def likely_matches(
    *, name: str, companies_house_number: str = "", limit: int = 3, exclude: int | None = None
) -> list[tuple[Supplier, float]]:
    """The existing suppliers most like `name`, best first, each with how alike (1.0: the same
    normalised name). One whose Companies House number differs from the one given is another company."""
    normalised = normalise_name(name)
    if not normalised:
        return []
    suppliers = Supplier.objects.current().exclude(pk=exclude)
    if companies_house_number:
        suppliers = suppliers.filter(Q(companies_house_number="") | Q(companies_house_number=companies_house_number))
    if not _trigrams():
        return [(s, 1.0) for s in suppliers.filter(normalised_name=normalised).order_by("name")[:limit]]
    found = (
        suppliers.annotate(similarity=TrigramSimilarity("normalised_name", normalised))
        .filter(similarity__gte=MATCH_SIMILARITY)
        .order_by("-similarity", "name")[:limit]
    )
    return [(s, round(float(s.similarity), 2)) for s in found]


def suppliers_found(text: str, *, exclude: int | None = None, limit: int = 20):
    """Current suppliers whose name (as typed or normalised) holds `text`, or with it as their number."""
    text = text.strip()
    if not text:
        return Supplier.objects.none()
    found = Q(name__icontains=text) | Q(companies_house_number=normalise_company_number(text))
    if normalised := normalise_name(text):
        found |= Q(normalised_name__contains=normalised)
    return Supplier.objects.current().exclude(pk=exclude).filter(found).order_by("name")[:limit]


@dataclass(frozen=True)
class LikelyDuplicate:
    first: Supplier
    second: Supplier
    similarity: float


# Only names that begin with the same word are compared (a hash join on it): comparing every pair
# costs minutes on a register of thousands with many alike names (measured: 2,000 synthetic names,
# 50 s with pg_trgm's GIN index and its % operator); "Albion Estates" and "Albyon Estates" are not
# paired here, but the import's likely matches (above) compare the whole name.
_PAIRS_SQL = """
    SELECT a.id, b.id, similarity(a.normalised_name, b.normalised_name) AS alike
    FROM suppliers_supplier a
    JOIN suppliers_supplier b ON a.id < b.id
      AND split_part(a.normalised_name, ' ', 1) = split_part(b.normalised_name, ' ', 1)
    WHERE a.merged_into_id IS NULL AND b.merged_into_id IS NULL AND a.normalised_name <> ''
      AND (a.companies_house_number = '' OR b.companies_house_number = ''
           OR a.companies_house_number = b.companies_house_number)
      AND similarity(a.normalised_name, b.normalised_name) >= %s
    ORDER BY alike DESC, a.normalised_name, a.id, b.id
    LIMIT %s
"""
_EXACT_PAIRS_SQL = """
    SELECT a.id, b.id, 1.0
    FROM suppliers_supplier a
    JOIN suppliers_supplier b ON a.id < b.id AND a.normalised_name = b.normalised_name
    WHERE a.merged_into_id IS NULL AND b.merged_into_id IS NULL AND a.normalised_name <> ''
      AND (a.companies_house_number = '' OR b.companies_house_number = '')
    ORDER BY a.normalised_name, a.id, b.id
    LIMIT %s
"""


def likely_duplicates(*, limit: int = DUPLICATES_SHOWN) -> list[LikelyDuplicate]:
    """Pairs of current suppliers that are probably one company, the most alike first: two queries
    whatever the number of suppliers. Two different Companies House numbers are two companies."""
    with connection.cursor() as cursor:
        if _trigrams():
            cursor.execute(_PAIRS_SQL, [DUPLICATE_SIMILARITY, limit])
        else:
            cursor.execute(_EXACT_PAIRS_SQL, [limit])
        pairs = cursor.fetchall()
    ids = {pk for first, second, _ in pairs for pk in (first, second)}
    suppliers = Supplier.objects.in_bulk(ids)
    return [
        LikelyDuplicate(first=suppliers[first], second=suppliers[second], similarity=round(float(alike), 2))
        for first, second, alike in pairs
    ]
