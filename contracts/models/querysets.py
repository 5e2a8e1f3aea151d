"""The register's querysets: the policy's SRO rules, the register's order, and the lists the register,
dashboards and jobs share (renewal decisions, notice dates, expiry)."""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from contracts.models.dates import UNDATED_DECISION_MONTHS, NoticeDate, renewal_decided, taken_extension_months
from contracts.models.reference import Quadrant
from contracts.models.regime import ActRulesQuerySet
from core import access
from core.sql import AddMonths, AddMonthsOf

if TYPE_CHECKING:
    from contracts.models.register import Contract  # noqa: F401 - named as a string in the base class below

# The SRO rules of the policy for a strategic contract: it has an SRO, who is a budget holder and still here.
# Contract.sro_problem says the same of one contract in words.
SRO_MISSING = Q(sro__isnull=True)
SRO_UNFIT = Q(sro__is_budget_holder=False) | Q(sro__is_active=False)


def register_order() -> list:
    """The expressions of the register's default order (ContractQuerySet.in_register_order), which its
    index (Contract.Meta.indexes) must repeat exactly for PostgreSQL to read the order from it."""
    active, draft = "active", "draft"  # Contract.Status, which is defined below
    group = models.Case(models.When(status=active, then=0), models.When(status=draft, then=1), default=2)
    # Not status__in: PostgreSQL prints an IN list in a form it then reads back differently, and seed_scale
    # makes the index again from what PostgreSQL prints (demo/scale/rows.py).
    ending = models.Case(models.When(Q(status=active) | Q(status=draft), then=F("end_date")))
    return [group.asc(), ending.asc(nulls_last=True), F("end_date").desc(), F("reference").asc()]


class ContractQuerySet(ActRulesQuerySet["Contract"]):
    def visible_to(self, user):
        """An OCO or SRO sees the contracts on which they are named; the
        Procurement Unit and administrators see the whole register. A supplier's person sees nothing
        of it (the supplier portal has its own scope: portal.scope)."""
        if not user.is_authenticated or user.is_supplier:
            return self.none()
        if user.sees_everything:
            return self
        return self.filter(access.named_on(user))

    def for_page(self):
        """What a contract page shows about every contract: its supplier, category, OCO and SRO."""
        return self.select_related("supplier", "category", "oco", "sro")

    def in_register_order(self):
        """The register's default order: active contracts ending soonest first, then drafts by end date,
        then those that have ended, the most recently ended first (read from the index
        contract_register_order: a page of the register reads 25 index entries, not a sort of them all)."""
        return self.order_by(*register_order())

    def active(self):
        return self.filter(status=self.model.Status.ACTIVE)

    def strategic(self):
        return self.filter(kraljic_quadrant=Quadrant.STRATEGIC)

    def breaking_sro_rules(self):
        """Active strategic contracts without an SRO, or whose SRO is not a budget holder or has left."""
        return self.active().strategic().filter(SRO_MISSING | SRO_UNFIT)

    def without_sro(self):
        return self.active().strategic().filter(SRO_MISSING)

    def with_unfit_sro(self):
        """Active strategic contracts whose SRO is not a budget holder, or has left."""
        return self.active().strategic().filter(SRO_UNFIT)

    def with_notice_date(self):
        """Each contract annotated with `notice_on`, its notice date (Contract.notice_date)."""
        return self.annotate(notice_on=NoticeDate())

    def expiring(self, *, within: timedelta, today: date | None = None):
        today = today or timezone.localdate()
        return self.active().filter(end_date__gte=today, end_date__lte=today + within)

    def past_end_without_extension(self, *, today: date):
        """Active contracts past their end date with no extension taken up that runs past today: they
        have expired (services.contracts_expire moves them). Taken extensions run from the original end."""
        return (
            self.active()
            .filter(end_date__lt=today)
            .alias(taken_months=taken_extension_months())
            .alias(taken_to=AddMonthsOf(Coalesce("original_end_date", "end_date"), F("taken_months")))
            .filter(Q(taken_months=0) | Q(taken_to__lt=today))
        )

    def with_renewal_dates(self, *, today: date):
        """Each contract annotated with `notice_on`; `decide_by`, the notice date less
        RENEWAL_DECISION_LEAD_MONTHS; `renewal_decided`, whether its current term has a renewal
        decision; and `decision_overdue`: decide-by passed, no decision, the contract not yet ended."""
        # The cheapest test first, the search for a decision last: PostgreSQL tests them in this order.
        overdue = Q(end_date__gte=today) & Q(decide_by__lt=today) & Q(renewal_decided=False)
        return (
            self.with_notice_date()
            .alias(undated_from=AddMonths(NoticeDate(), -UNDATED_DECISION_MONTHS))
            .annotate(
                decide_by=AddMonths(NoticeDate(), -settings.RENEWAL_DECISION_LEAD_MONTHS),
                renewal_decided=renewal_decided(),
            )
            .annotate(decision_overdue=ExpressionWrapper(overdue, output_field=BooleanField()))
        )

    def renewal_decision_due(self, *, today: date, within: timedelta):
        """Active contracts not yet ended with no renewal decision for their current term, whose
        decide-by date has passed or falls within `within` (with_renewal_dates)."""
        due = Q(renewal_decided=False, end_date__gte=today, decide_by__lte=today + within)
        return self.active().with_renewal_dates(today=today).filter(due)

    def renewal_decision_overdue(self, *, today: date):
        """Active contracts whose renewal decision is overdue (with_renewal_dates)."""
        return self.active().with_renewal_dates(today=today).filter(decision_overdue=True)
