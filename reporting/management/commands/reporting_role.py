"""Create (or update) the database login the reporting tool connects with: it may read the views of
the reporting schema and nothing else, and every transaction it starts is read-only."""

import os
import secrets

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

from reporting import schema


class Command(BaseCommand):
    help = "Create or update the read-only database login of the reporting tool (docs/reporting.md)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the login's name, for example crystal_reports")
        parser.add_argument(
            "--password-env",
            default="REPORTING_DB_PASSWORD",
            help="the environment variable holding its password (default REPORTING_DB_PASSWORD); "
            "when it is not set, a password is made and printed once",
        )

    def handle(self, *args, name: str, password_env: str, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The reporting schema exists only on PostgreSQL.")
        if not schema.schema_exists(connection):
            raise CommandError("There is no reporting schema: run `manage.py migrate` first.")
        password = os.environ.get(password_env) or secrets.token_urlsafe(24)
        login, readers = sql.Identifier(name), sql.Identifier(schema.READERS)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT rolname FROM pg_roles WHERE rolname IN (%s, %s)", [name, schema.READERS])
            existing = {row[0] for row in cursor.fetchall()}
            if schema.READERS not in existing:
                cursor.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(readers).as_string(cursor.connection))
            schema.readers_grant(cursor)
            verb = "ALTER" if name in existing else "CREATE"
            cursor.execute(
                sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}")
                .format(login, sql.Literal(password))
                .as_string(cursor.connection)
            )
            statements = (
                sql.SQL("GRANT {} TO {}").format(readers, login),
                sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(login),
            )
            for statement in statements:
                cursor.execute(statement.as_string(cursor.connection))
        done = "Updated" if verb == "ALTER" else "Created"
        self.stdout.write(f"{done} the login {name}: it reads the views of the reporting schema only.")
        if password_env not in os.environ:
            self.stdout.write(f"Its password (shown once): {password}")
