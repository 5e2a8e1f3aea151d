"""Writing rows as the models define them, in bulk (COPY and INSERT ... SELECT) and past the ORM.

The seed names only the columns it computes. Every other column of the model's table
(`Model._meta.concrete_fields`) gets what the ORM would have written: the field's default
(`Field.get_default()`, so '' for a text field without one and None for a nullable one), the seed's
clock for auto_now fields, or nothing at all where the database fills it (the serial primary key, a
generated column, a `db_default`). A field added to a model with a default is therefore seeded with
that default, and a name the model does not have fails at once, before anything is written.
"""

# ruff: noqa: S608 - the SQL is built from model table and column names, never from input.

from collections.abc import Iterable, Mapping
from datetime import datetime
from itertools import chain

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model


def table(model: type[Model]) -> str:
    return model._meta.db_table


def column(field: Field) -> str:
    assert field.column is not None  # every concrete field has its column
    return field.column


def _left_to_database(field: Field) -> bool:
    return field.db_returning or getattr(field, "generated", False) or field.has_db_default()


def _default(field: Field, *, now: datetime):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return field.get_db_prep_save(field.get_default(), connection)


def columns(model: type[Model], provided: Iterable[str]) -> list[tuple[Field, bool]]:
    """The model's columns to write, in the table's order, each with whether the seed provides it."""
    provided = set(provided)
    fields = model._meta.concrete_fields
    unknown = provided - {field.column for field in fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no column {', '.join(sorted(unknown))}.")
    return [
        (field, field.column in provided)
        for field in fields
        if field.column in provided or not _left_to_database(field)
    ]


def copy_rows(cursor: CursorWrapper, model: type[Model], rows: Iterable[Mapping], *, now: datetime) -> None:
    """COPY rows, each a mapping of column name to value (all with the same names), into the model's table."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    written = columns(model, first)
    defaults = {column(field): _default(field, now=now) for field, given in written if not given}
    names = [column(field) for field, _ in written]
    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    with cursor.cursor.copy(f"COPY {table(model)} ({quoted}) FROM STDIN") as copy:
        for row in chain((first,), rows):
            values = {**defaults, **row}
            copy.write_row([values[name] for name in names])


def insert_select(
    cursor: CursorWrapper, model: type[Model], select: str, params: dict | None = None, *, now: datetime
) -> None:
    """INSERT the rows of `select` into the model's table. The select names its output columns as the
    model's columns (`... AS status`); the columns it leaves out get their defaults, one value for every row."""
    params = dict(params or {})
    # LIMIT 0 plans the query and reads its output columns without evaluating a row (nor a random()).
    cursor.execute(f"SELECT * FROM ({select}) AS seed_rows LIMIT 0", params)
    written = columns(model, [column.name for column in cursor.description])
    quote = connection.ops.quote_name
    expressions = []
    for field, given in written:
        if given:
            expressions.append(quote(column(field)))
            continue
        if field.unique and callable(field.default):
            raise ValueError(f"{model.__name__}.{field.name}: one default for every row would not be unique.")
        key = f"default_{column(field)}"
        params[key] = _default(field, now=now)
        expressions.append(f"CAST(%({key})s AS {field.db_type(connection)})")
    cursor.execute(
        f"INSERT INTO {table(model)} ({', '.join(quote(column(field)) for field, _ in written)}) "
        f"SELECT {', '.join(expressions)} FROM ({select}) AS seed_rows",
        params,
    )


def drop_indexes(cursor: CursorWrapper, models) -> list[str]:
    """Drop the foreign keys, unique constraints and secondary indexes of these tables (not their
    primary keys); return the statements that make them again, exactly as they were.

    Filled without them, a table gets one sort per index and one join per foreign key afterwards,
    instead of an index update and a deferred check per row."""
    indexes: list[str] = []
    uniques: list[str] = []
    foreign_keys: list[str] = []
    # The deferred checks queued by the ORM's inserts so far (suppliers' own foreign key to the record they
    # were merged into, for one) run now: ALTER TABLE refuses a table with pending trigger events.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for model in models:
        name = table(model)
        cursor.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY conname",
            [name],
        )
        for constraint, kind, definition in cursor.fetchall():
            cursor.execute(f'ALTER TABLE {name} DROP CONSTRAINT "{constraint}"')
            statement = f'ALTER TABLE {name} ADD CONSTRAINT "{constraint}" {definition}'
            (foreign_keys if kind == "f" else uniques).append(statement)
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS ("
            "  SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)",
            [name],
        )
        for index, definition in cursor.fetchall():
            cursor.execute(f"DROP INDEX {index}")
            indexes.append(definition)
    return indexes + uniques + foreign_keys


def recreate(cursor: CursorWrapper, statements: list[str]) -> None:
    # The deferred checks still queued by the ORM's inserts run now: ALTER TABLE refuses a table
    # with pending trigger events.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for statement in statements:
        cursor.execute(statement)
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def reset_sequences(cursor: CursorWrapper, models) -> None:
    """After rows inserted with their own ids: the next id comes after the largest."""
    for model in models:
        name = table(model)
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), coalesce(max(id), 0) + 1, false) FROM {name}"
        )
