"""The market dataset: award notices other buyers published (OCDS from Contracts Finder or Find a
Tender), loaded by `manage.py load_market_awards` (exchange/services/market_load.py). Never the
register's contracts: nothing here is the force's, nothing links to a contract, and the register's
pages only read it to compare (market/selectors.py).

Classified by CPV group, the first three digits of the code (the CPV nomenclature's "group", e.g. 501
"repair and maintenance services of motor vehicles", 797 "investigation and security services").
The division (two digits, e.g. 50 "repair and maintenance services") mixes lifts with vehicles and
aircraft; the class (four digits) splits one market across codes buyers choose loosely (5011 vs 5012
for the same garage). Measured on the real 2025 sample (../shared/data/ocds/, 135 awards loaded): two
digits give 29 groups, 14 with the four awards quartiles need (108 awards); three digits 66 groups, 10
usable (57 awards); four digits 77 groups, 9 usable (45 awards). Three keeps a market one market and
still compares about as many contracts as four; a year of Contracts Finder holds far more awards.
"""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q

CPV_GROUP_DIGITS = 3


def annualise(value: Decimal, duration_days: int) -> Decimal:
    """The value of one year: the total over the contract's years; a contract of a year or less, its total
    (the rule the register's OCDS import uses for a contract's annual value)."""
    years = max(Decimal(duration_days + 1) / Decimal("365.25"), Decimal(1))
    return (value / years).quantize(Decimal("0.01"))


class MarketAwardQuerySet(models.QuerySet):
    def comparable(self, *, cpv_group: str, duration_days: int):
        """Awards of the same CPV group lasting between half and twice as long (`similar_durations`)."""
        low, high = similar_durations(duration_days)
        return self.filter(cpv_group=cpv_group, duration_days__gte=low, duration_days__lte=high)


def similar_durations(duration_days: int) -> tuple[int, int]:
    """A similar duration: from half to twice as long (a two-year contract compares with one to four years)."""
    return duration_days // 2, duration_days * 2 + 1


class MarketAward(models.Model):
    """One award of a published notice, from any buyer."""

    ocid = models.CharField(max_length=200)
    award_id = models.CharField(max_length=200)
    source = models.CharField(max_length=100, blank=True, help_text="Who published it: Contracts Finder, ...")
    title = models.CharField(max_length=255)
    buyer = models.CharField(max_length=255, blank=True)
    suppliers = models.CharField(max_length=500, blank=True, help_text="The suppliers' names, joined by “; ”.")
    cpv_code = models.CharField("CPV code", max_length=10)
    cpv_group = models.CharField("CPV group", max_length=CPV_GROUP_DIGITS, db_index=True)
    value = models.DecimalField("value (£)", max_digits=14, decimal_places=2)
    start_date = models.DateField()
    end_date = models.DateField()
    duration_days = models.PositiveIntegerField()
    annual_value = models.DecimalField("annual value (£)", max_digits=14, decimal_places=2)
    awarded_on = models.DateField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    loaded_at = models.DateTimeField()

    objects = MarketAwardQuerySet.as_manager()

    class Meta:
        ordering = ["cpv_group", "-awarded_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ocid", "award_id"], name="market_award_unique"),
            models.CheckConstraint(name="market_award_value_positive", condition=Q(value__gt=0)),
            models.CheckConstraint(name="market_award_ends_after_start", condition=Q(end_date__gte=F("start_date"))),
        ]
        indexes = [models.Index(fields=["cpv_group", "duration_days"], name="market_group_duration")]

    def __str__(self) -> str:
        return f"{self.title} ({self.buyer})"
