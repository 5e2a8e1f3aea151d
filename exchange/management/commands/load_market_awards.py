"""manage.py load_market_awards FILE: published award notices (OCDS JSON) into the market dataset."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exchange.services.market_load import market_awards_load
from exchange.services.ocds_read import OcdsError, load_package


class Command(BaseCommand):
    help = (
        "Load the awards of an OCDS release or record package (Contracts Finder, Find a Tender, ...) into the "
        "market dataset the contract pages compare with. Never touches the register's contracts; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="an OCDS JSON file")

    def handle(self, *args, file: Path, **options):
        try:
            package = load_package(file.read_bytes())
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror or exc}") from None
        except OcdsError as exc:
            raise CommandError(f"{file}: {exc}") from None
        result = market_awards_load(package=package)
        skipped = ", ".join(f"{reason}: {count}" for reason, count in sorted(result.skipped.items()))
        self.stdout.write(
            f"{result.created} market awards added, {result.updated} updated, "
            f"{sum(result.skipped.values())} skipped{f' ({skipped})' if skipped else ''}."
        )
