"""Loading published award notices (an OCDS release or record package, from Contracts Finder, Find a
Tender, Public Contracts Scotland or Sell2Wales) into the market dataset (market.models.MarketAward),
every buyer's: `manage.py load_market_awards FILE`. Never the register's contracts.

An award is kept when it has a CPV code (the tender's classification, else its first item's), a value
in pounds above zero and a contract period with an end (its duration is what "similar" compares);
the others are counted by reason. The same award in several releases: the latest release wins. A
second load of a file updates the awards it already holds (by ocid and award id). All-or-nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from exchange.services.ocds_awards import award_amount, award_period, cpv_code
from exchange.services.ocds_read import _dict, _list, clean_text, iter_releases, parse_date, release_buyer
from market.models import CPV_GROUP_DIGITS, MarketAward, annualise

SKIP_NO_AWARD = "no award"
SKIP_NO_CPV = "no CPV code"
SKIP_NO_VALUE = "no value"
SKIP_NO_PERIOD = "no contract end date"
SKIP_OLDER = "older release of the same award"

# Who publishes under each OCDS prefix (the registered prefixes of the UK's notice services).
SOURCES = {
    "ocds-b5fd17": "Contracts Finder",
    "ocds-h6vhtk": "Find a Tender",
    "ocds-r6ebe6": "Public Contracts Scotland",
    "ocds-kuma6s": "Sell2Wales",
}


@dataclass
class MarketLoadResult:
    created: int = 0
    updated: int = 0
    skipped: Counter = field(default_factory=Counter)


def _award(release: dict, award: dict, skipped: Counter, *, now) -> tuple[str, MarketAward] | None:
    tender = _dict(release.get("tender"))
    code = cpv_code(tender)
    if not code:
        skipped[SKIP_NO_CPV] += 1
        return None
    amount = award_amount(award, skipped)
    if amount is None:
        return None
    if not amount:
        skipped[SKIP_NO_VALUE] += 1
        return None
    contract_data = next(
        (c for c in _list(release.get("contracts")) if isinstance(c, dict) and c.get("awardID") == award.get("id")), {}
    )
    period = _dict(award.get("contractPeriod") or contract_data.get("period") or tender.get("contractPeriod"))
    if parse_date(period.get("endDate")) is None:
        skipped[SKIP_NO_PERIOD] += 1
        return None
    start, end = award_period(release, award, contract_data)
    ocid = clean_text(release.get("ocid"), 200)
    parties = {clean_text(p.get("id")): p for p in _list(release.get("parties")) if isinstance(p, dict)}
    names = [
        clean_text(s.get("name") or (parties.get(clean_text(s.get("id"))) or {}).get("name"))
        for s in _list(award.get("suppliers"))
        if isinstance(s, dict)
    ]
    url = next(
        (clean_text(d.get("url")) for d in _list(award.get("documents")) if isinstance(d, dict) and d.get("url")), ""
    )
    duration = (end - start).days
    item = MarketAward(
        ocid=ocid,
        award_id=clean_text(award.get("id"), 200),
        source=SOURCES.get(ocid[:11], ""),
        title=clean_text(contract_data.get("title") or award.get("title") or tender.get("title"), 255) or ocid,
        buyer=release_buyer(release).name,
        suppliers="; ".join(n for n in names if n)[:500],
        cpv_code=code,
        cpv_group=code[:CPV_GROUP_DIGITS],
        value=amount,
        start_date=start,
        end_date=end,
        duration_days=duration,
        annual_value=annualise(amount, duration),
        awarded_on=parse_date(award.get("date")),
        url=url[:500] if url.startswith(("https://", "http://")) else "",
        loaded_at=now,
    )
    return clean_text(release.get("date")), item


@transaction.atomic
def market_awards_load(*, package: dict) -> MarketLoadResult:
    """Add (or update) the package's awards in the market dataset, in one transaction."""
    result, now = MarketLoadResult(), timezone.now()
    found: dict[tuple[str, str], tuple[str, MarketAward]] = {}
    for release in iter_releases(package, result.skipped):
        awards = [a for a in _list(release.get("awards")) if isinstance(a, dict)]
        if not awards or not clean_text(release.get("ocid")):
            result.skipped[SKIP_NO_AWARD] += 1
            continue
        for award in awards:
            read = _award(release, award, result.skipped, now=now)
            if read is None:
                continue
            key = (read[1].ocid, read[1].award_id)
            if key in found:
                result.skipped[SKIP_OLDER] += 1
                if found[key][0] > read[0]:
                    continue
            found[key] = read
    items = [item for _, item in found.values()]
    existing = {
        (a.ocid, a.award_id): a.pk
        for a in MarketAward.objects.filter(ocid__in={i.ocid for i in items}).only("pk", "ocid", "award_id")
    }
    new = [i for i in items if (i.ocid, i.award_id) not in existing]
    old = [i for i in items if (i.ocid, i.award_id) in existing]
    for item in old:
        item.pk = existing[(item.ocid, item.award_id)]
    MarketAward.objects.bulk_create(new, batch_size=500)
    fields = [f.name for f in MarketAward._meta.concrete_fields if f.name not in ("id", "ocid", "award_id")]
    MarketAward.objects.bulk_update(old, fields, batch_size=500)
    result.created, result.updated = len(new), len(old)
    return result
