"""The backup and restore procedure of docs/backup-and-restore.md, done for real: pg_dump of the
database and a copy of MEDIA_ROOT, restored into a new empty database, finds everything again."""

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from contracts import services
from contracts.models import Variation
from tests.conftest import docx_bytes, pdf_bytes


def _client_tool(name: str) -> str | None:
    """The tool of the server's own major version (Debian keeps one folder per version)."""
    with psycopg.connect(**_params(connection.settings_dict, "postgres")) as db:
        major = int(db.execute("SHOW server_version_num").fetchone()[0]) // 10000
    versioned = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    return str(versioned) if versioned.exists() else shutil.which(name)


def _params(settings_dict: dict, dbname: str) -> dict:
    return {
        "host": settings_dict["HOST"] or "127.0.0.1",
        "port": settings_dict["PORT"] or 5432,
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"] or None,
        "dbname": dbname,
        "autocommit": True,
    }


pytestmark = [
    pytest.mark.skipif(
        shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
        reason="pg_dump and pg_restore (PostgreSQL client tools) are not installed",
    ),
    pytest.mark.django_db(transaction=True),
]


def _run(tool: str, *args: str, settings_dict: dict) -> None:
    env = {"PGPASSWORD": settings_dict["PASSWORD"] or "", "PATH": "/usr/bin:/bin"}
    server = ["-h", settings_dict["HOST"] or "127.0.0.1", "-p", str(settings_dict["PORT"] or 5432)]
    subprocess.run(  # noqa: S603 (fixed commands)
        [_client_tool(tool), *server, "-U", settings_dict["USER"], *args], check=True, env=env, capture_output=True
    )


def _snapshot(db) -> dict:
    """Every table's rows counted, and the ids that matter listed."""
    tables = [
        name
        for (name,) in db.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
    ]
    return {
        "counts": {table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables},  # noqa: S608
        "contracts": db.execute("SELECT id, reference, version FROM contracts_contract ORDER BY id").fetchall(),
        "documents": db.execute("SELECT id, contract_id, file FROM contracts_contractdocument ORDER BY id").fetchall(),
        "history": db.execute(
            "SELECT history_id, id, history_type FROM contracts_historicalcontract ORDER BY history_id"
        ).fetchall(),
        "variations": db.execute("SELECT id, contract_id, number FROM contracts_variation ORDER BY id").fetchall(),
    }


def test_a_dump_and_a_copy_of_the_media_restore_every_contract_document_and_history_row(
    contract, other_contract, priya, tmp_path, settings
):
    services.document_upload(
        contract=contract, kind="contract", upload=SimpleUploadedFile("a.pdf", pdf_bytes()), by=priya
    )
    services.document_upload(
        contract=contract, kind="contract", upload=SimpleUploadedFile("b.pdf", pdf_bytes("2")), by=priya
    )
    services.document_upload(
        contract=other_contract, kind="schedule", upload=SimpleUploadedFile("s.docx", docx_bytes()), by=priya
    )
    variation = Variation(
        contract=contract,
        agreed_on=date(2026, 5, 1),
        description="Extra sites",
        reason="New custody suite",
        value_change=Decimal("25000"),
        approved_by=priya,
    )
    services.variation_record(variation=variation, by=priya)

    source = connection.settings_dict
    restored_name = f"{source['NAME']}_restored"
    dump, media_archive = tmp_path / "register.dump", tmp_path / "media.tar.gz"

    # Back up: the database in PostgreSQL's custom format, and the uploaded files.
    _run("pg_dump", "--format=custom", f"--file={dump}", source["NAME"], settings_dict=source)
    subprocess.run(["tar", "-C", str(settings.MEDIA_ROOT), "-czf", str(media_archive), "."], check=True)  # noqa: S603, S607

    with psycopg.connect(**_params(source, "postgres")) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{restored_name}"')
        try:
            # Restore: into the new empty database, and the files into an empty folder.
            _run(
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={restored_name}",
                str(dump),
                settings_dict=source,
            )
            media = tmp_path / "restored-media"
            media.mkdir()
            subprocess.run(["tar", "-C", str(media), "-xzf", str(media_archive)], check=True)  # noqa: S603, S607

            with (
                psycopg.connect(**_params(source, source["NAME"])) as before,
                psycopg.connect(**_params(source, restored_name)) as after,
            ):
                original, restored = _snapshot(before), _snapshot(after)
        finally:
            server.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
        assert not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [restored_name]).fetchone()

    assert restored == original
    assert len(restored["contracts"]) == 2 and len(restored["documents"]) == 3 and restored["variations"]
    assert len(restored["history"]) >= 4  # created, saved, varied: every step of each contract
    assert restored["counts"]["django_migrations"] > 0 and restored["counts"]["accounts_user"] >= 4
    for _, _, name in restored["documents"]:
        assert (media / name).read_bytes() == (Path(settings.MEDIA_ROOT) / name).read_bytes()
