"""The date rules of a contract in SQL, for ContractQuerySet: its notice date, the extensions taken
up, whether its current term has a renewal decision. The lifecycle models are looked up by name:
contracts/models/lifecycle.py imports the register, which imports this module."""

from django.apps import apps
from django.db.models import DateField, Exists, F, Func, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce


class NoticeDate(Func):
    """Contract.notice_date in the database: the end date less the notice period in days
    (PostgreSQL: date - integer is a date; SQLite, the demo, has its own date arithmetic)."""

    output_field = DateField()

    def __init__(self, **extra):
        super().__init__(F("end_date"), F("notice_period_days"), **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s || ' days')", arg_joiner=", '-' || ", **extra_context
        )


# A renewal decision recorded before decisions named the end date they decided on counts for the
# term whose notice date falls within this many months of it.
UNDATED_DECISION_MONTHS = 12


def taken_extension_months() -> Coalesce:
    """The months of a contract's extension options taken up, 0 when none."""
    option = apps.get_model("contracts", "ExtensionOption")
    taken = option.objects.filter(contract=OuterRef("pk"), decision="taken").order_by().values("contract")
    return Coalesce(Subquery(taken.annotate(months=Sum("length_months")).values("months")), 0)


def renewal_decided() -> Exists:
    """Whether the contract's current term (its end date) has a renewal decision."""
    decision = apps.get_model("contracts", "RenewalDecision")
    this_term = Q(end_date=OuterRef("end_date")) | Q(end_date__isnull=True, decided_on__gte=OuterRef("undated_from"))
    return Exists(decision.objects.filter(this_term, contract=OuterRef("pk")))
