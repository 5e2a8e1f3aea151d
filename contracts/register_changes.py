"""The register's last change, for caching its list page (contracts/views/register_list.py): a version
that moves whenever data the list shows may have changed, kept by PostgreSQL itself so that nothing can
change that data without moving it.

A statement trigger on each table the register list reads (contracts, suppliers, people and their
roles, categories, saved views: migration 0027 lists them) takes a shared advisory lock, held until the
writing transaction ends, and draws from the sequence `contracts_register_changes`. Any writer does: a
form, an import, `update()`, the admin, SQL. `version()` is the sequence's count, or None while a writer
is still in progress (its change not yet visible, and its commit would not move the count): a page read
then is not kept. Once a transaction has written, its own id is part of the version, so what it reads
before it commits (or rolls back) is never served to anyone else. Without PostgreSQL there is no
version and nothing is cached."""

from django.db import connection

VERSION_FUNCTION = "contracts_register_version"  # made by migration 0027, with the triggers


def version() -> str | None:
    """The register's data version, or None: nothing may be cached now (or here)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {VERSION_FUNCTION}()")  # noqa: S608 - our own constant
        return cursor.fetchone()[0]
