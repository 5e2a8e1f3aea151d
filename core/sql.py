"""Date arithmetic in SQL, for PostgreSQL (production, CI) and SQLite (the demo): the dashboards
count over the whole register in the database rather than row by row in Python."""

from django.db.models import DateField, Func


class AddMonths(Func):
    """A date plus whole months, clamped to the month's end as core.dates.add_months is."""

    output_field = DateField()

    def __init__(self, expression, months: int, **extra):
        self.months = int(months)
        super().__init__(expression, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) + make_interval(months => {self.months}))::date", params

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite's modifier does not clamp (31 Aug + 6 months is 3 Mar): close enough for the demo.
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '{self.months:+d} months')", params


class AddMonthsOf(Func):
    """A date plus a number of months that is itself an expression (a column, a subquery), clamped
    to the month's end on PostgreSQL as AddMonths is."""

    output_field = DateField()

    def __init__(self, expression, months, **extra):
        super().__init__(expression, months, **extra)

    def _parts(self, compiler):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        return date_sql, months_sql, (*date_params, *months_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        date_sql, months_sql, params = self._parts(compiler)
        return f"(({date_sql}) + make_interval(months => ({months_sql})::integer))::date", params

    def as_sqlite(self, compiler, connection, **extra_context):
        date_sql, months_sql, params = self._parts(compiler)
        return f"date({date_sql}, ({months_sql}) || ' months')", params
