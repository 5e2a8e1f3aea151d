"""Under which law a contract was procured, and which Procurement Act 2023 duties follow from it.

The Act governs procurements begun on or after its commencement (settings.PROCUREMENT_ACT_COMMENCEMENT,
24 February 2025); earlier ones stay under the Public Contracts Regulations 2015 for their whole life,
and the Act's contract-management duties never reach them. Each duty is written once here, as a
queryset method (for lists, dashboards and jobs) and a one-row property (for a contract's page):

- section 52, at least three KPIs: public contracts (not frameworks or concessions) under the Act worth
  more than £5m, unless light-touch or the Procurement Unit records why KPIs could not appropriately
  assess the supplier's performance (`needing_three_kpis`, `needs_three_kpis`);
- section 71, KPI assessment (contract performance) notices: the contracts of section 52, once
  section 71 is in force for them (1 January 2026 in England, 1 April 2026 for procurements regulated
  by the Welsh Ministers: settings.ACT_KPI_NOTICES_IN_FORCE, `kpi_notices_from`);
- section 75, contract change notices: contracts under the Act, except light-touch ones;
- section 80, contract termination notices: contracts under the Act.

A contract whose regime the Procurement Unit has not recorded follows from its dates (`regime_in_effect`):
the day its procurement began, or when that is unknown its start date; a below-threshold quotation is
not covered."""

from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.formatting import long_date

# Section 52: a public contract worth more than £5m has at least three KPIs.
KPI_VALUE = Decimal("5000000")
KPI_MINIMUM = 3
BELOW_THRESHOLD_ROUTE = "below_threshold"  # Contract.ProcurementRoute.BELOW_THRESHOLD

_M = TypeVar("_M", bound=models.Model)


class Regime(models.TextChoices):
    ACT = "pa2023", "Procurement Act 2023"
    PCR = "pcr2015", "Public Contracts Regulations 2015"
    BELOW_THRESHOLD = "below_threshold", "Not covered: below threshold"
    GRANT = "grant", "Not covered: grant"
    EXEMPT = "exempt", "Not covered: exempt"


class Agreement(models.TextChoices):
    CONTRACT = "contract", "Public contract (including a call-off from a framework)"
    FRAMEWORK = "framework", "Framework agreement"
    CONCESSION = "concession", "Concession contract"


def act_commencement() -> date:
    return settings.PROCUREMENT_ACT_COMMENCEMENT


def kpi_notices_in_force(*, welsh: bool) -> date:
    """Section 71 came into force on this day: in England, or for procurements regulated by the Welsh Ministers."""
    return settings.ACT_KPI_NOTICES_IN_FORCE["wales" if welsh else "england"]


def _not_recorded() -> Q:
    return Q(regime="")


def _begun_under_act() -> Q:
    """Its procurement began on or after the Act's commencement (else, unknown, its start date)."""
    day = act_commencement()
    return Q(procurement_started_on__gte=day) | Q(procurement_started_on__isnull=True, start_date__gte=day)


def regime_q(regime: str) -> Q:
    """The contracts under `regime`, recorded or following from their dates (Procurement.regime_in_effect)."""
    derived = _not_recorded()
    below = Q(procurement_route=BELOW_THRESHOLD_ROUTE)
    if regime == Regime.ACT:
        derived &= ~below & _begun_under_act()
    elif regime == Regime.PCR:
        derived &= ~below & ~_begun_under_act()
    elif regime == Regime.BELOW_THRESHOLD:
        derived &= below
    else:
        derived = Q(pk__in=[])
    return Q(regime=regime) | derived


class ActRulesQuerySet(models.QuerySet[_M]):
    """Mixed into ContractQuerySet: which contracts each duty of the Act reaches."""

    def in_regime(self, regime: str):
        return self.filter(regime_q(regime))

    def under_act(self):
        return self.in_regime(Regime.ACT)

    def needing_three_kpis(self):
        """Section 52 (whatever the contract's status: lists of live contracts add `.active()`)."""
        return self.under_act().filter(
            total_value__gt=KPI_VALUE, agreement=Agreement.CONTRACT, light_touch=False, kpis_not_appropriate_reason=""
        )

    def needing_kpi_assessment_notices(self, *, on: date):
        """Section 71: started contracts of section 52 for which section 71 is in force on `on`."""
        in_force = Q(regulated_by_welsh_ministers=False) if on >= kpi_notices_in_force(welsh=False) else Q(pk__in=[])
        if on >= kpi_notices_in_force(welsh=True):
            in_force |= Q(regulated_by_welsh_ministers=True)
        return self.needing_three_kpis().exclude(status="draft").filter(in_force)

    def needing_change_notices(self):
        """Section 75: a modification of a contract under the Act, unless light-touch (s.75(6))."""
        return self.under_act().filter(light_touch=False)

    def needing_termination_notices(self):
        """Section 80."""
        return self.under_act()


class Procurement(models.Model):
    """The Contract's fields about the law it was procured under (an abstract base of Contract)."""

    regime = models.CharField(
        max_length=20,
        choices=Regime.choices,
        blank=True,
        default="",
        help_text="Leave blank to follow from the dates: the Procurement Act 2023 governs procurements "
        "begun on or after 24 February 2025.",
    )
    procurement_started_on = models.DateField(
        "procurement began on",
        null=True,
        blank=True,
        help_text="The day the procurement began (its first notice or invitation). When blank, the start date counts.",
    )
    agreement = models.CharField(
        "kind of agreement", max_length=12, choices=Agreement.choices, default=Agreement.CONTRACT
    )
    light_touch = models.BooleanField(
        "light-touch contract",
        default=False,
        help_text="Health, social, education and other services of the light-touch regime.",
    )
    regulated_by_welsh_ministers = models.BooleanField("procurement regulated by the Welsh Ministers", default=False)
    kpis_not_appropriate_reason = models.TextField(
        "KPIs not appropriate, because",
        blank=True,
        help_text="Record why the supplier's performance could not appropriately be assessed by KPIs: the "
        "Act then asks for none (section 52).",
    )

    class Meta:
        abstract = True

    def procurement_errors(self) -> dict[str, str]:
        """Contract.clean's checks of these fields."""
        errors = {}
        began, start = self.procurement_started_on, self.start_date  # type: ignore[attr-defined]
        if began and start and began > start:
            errors["procurement_started_on"] = "A procurement begins before the contract starts."
        if began and self.regime == Regime.ACT and began < act_commencement():
            errors["regime"] = (
                f"A procurement begun before {long_date(act_commencement())} is not under the Procurement Act 2023."
            )
        if began and self.regime == Regime.PCR and began >= act_commencement():
            errors["regime"] = (
                f"A procurement begun on or after {long_date(act_commencement())} is under the Procurement Act 2023."
            )
        return errors

    # Each property below says of one contract what the queryset method of the same name says of many.

    @property
    def regime_follows_from_dates(self) -> bool:
        return not self.regime

    @property
    def regime_in_effect(self) -> str:
        if self.regime:
            return self.regime
        if self.procurement_route == BELOW_THRESHOLD_ROUTE:  # type: ignore[attr-defined]  # Contract's field
            return Regime.BELOW_THRESHOLD
        began = self.procurement_started_on or self.start_date  # type: ignore[attr-defined]
        return Regime.ACT if began is not None and began >= act_commencement() else Regime.PCR

    @property
    def regime_label(self) -> str:
        return Regime(self.regime_in_effect).label

    @property
    def regime_phrase(self) -> str:
        """What follows "the contract is ...": "under the Procurement Act 2023", "not covered (a grant)"."""
        return {
            Regime.ACT: "under the Procurement Act 2023",
            Regime.PCR: "under the Public Contracts Regulations 2015",
            Regime.BELOW_THRESHOLD: "below the threshold, not covered",
            Regime.GRANT: "a grant, not covered",
            Regime.EXEMPT: "exempt, not covered",
        }[Regime(self.regime_in_effect)]

    @property
    def under_act(self) -> bool:
        return self.regime_in_effect == Regime.ACT

    @property
    def needs_three_kpis(self) -> bool:
        return (
            self.under_act
            and self.total_value > KPI_VALUE  # type: ignore[attr-defined]
            and self.agreement == Agreement.CONTRACT
            and not self.light_touch
            and not self.kpis_not_appropriate_reason
        )

    @property
    def kpi_notices_from(self) -> date | None:
        """The day section 71 reaches this contract, or None when it never does."""
        if not self.needs_three_kpis:
            return None
        return kpi_notices_in_force(welsh=self.regulated_by_welsh_ministers)

    def needs_kpi_assessment_notices(self, *, on: date) -> bool:
        start = self.kpi_notices_from
        return start is not None and on >= start and self.status != "draft"  # type: ignore[attr-defined]

    @property
    def needs_change_notices(self) -> bool:
        return self.under_act and not self.light_touch

    @property
    def needs_termination_notice(self) -> bool:
        return self.under_act

    @property
    def act_duties(self) -> list[str]:
        """In words, for the contract's page: which of the Act's duties reach this contract, and why (not)."""
        if not self.under_act:
            return [
                f"The contract is {self.regime_phrase}: the Procurement Act 2023's KPI, performance, change and "
                "termination notice duties do not apply."
            ]
        lines = []
        if self.needs_three_kpis:
            lines.append("At least three KPIs, published (section 52): worth more than £5m.")
            start = kpi_notices_in_force(welsh=self.regulated_by_welsh_ministers)
            lines.append(f"KPI assessment notices every 12 months (section 71), from {long_date(start)}.")
        else:
            why = (
                "it is light-touch"
                if self.light_touch
                else f"it is a {self.get_agreement_display().lower()}"
                if self.agreement != Agreement.CONTRACT
                else "the Procurement Unit recorded why KPIs are not appropriate"
                if self.kpis_not_appropriate_reason
                else "it is worth £5m or less"
            )
            lines.append(f"No KPIs or KPI assessment notices are required (sections 52 and 71): {why}.")
        lines.append(
            "Contract change notices for changes over the limits (section 75)."
            if self.needs_change_notices
            else "No contract change notices: it is light-touch (section 75(6))."
        )
        lines.append("A contract termination notice within 30 days of its end (section 80).")
        return lines
