from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from contracts import services
from suppliers.companies_house import SnapshotError, snapshot_date


class Command(BaseCommand):
    help = (
        "Load Companies House's monthly Basic Company Data snapshot (CSV, or its zip), keeping only the "
        "register's suppliers: a new concern about one is recorded and escalated once."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="BasicCompanyDataAsOneFile-YYYY-MM-DD.zip or a CSV part")
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            help="the day the snapshot describes, YYYY-MM-DD (default: the date in the file name, else today)",
        )
        parser.add_argument(
            "--complete",
            action="store_true",
            help="the file is the whole register (as BasicCompanyDataAsOneFile-*, taken as complete by its name), "
            "so a supplier missing from it is no longer a live company",
        )

    def handle(self, *args, file: Path, as_of: date | None, complete: bool, **options):
        if not file.is_file():
            raise CommandError(f"No file {file}.")
        as_of = as_of or snapshot_date(file) or timezone.localdate()
        try:
            result = services.companies_house_snapshot_load(
                path=file, as_of=as_of, complete=complete or "AsOneFile" in file.name
            )
        except (SnapshotError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Snapshot of {as_of:%d/%m/%Y}: {result}")
