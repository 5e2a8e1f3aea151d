from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from contracts import services
from contracts.services.companies_house import companies_house_client
from suppliers.companies_house import CompaniesHouseError


class Command(BaseCommand):
    help = (
        "Read each supplier's company profile from the Companies House API now (as the daily "
        "companies-house-check job does): a new concern is recorded and escalated once."
    )

    def handle(self, *args, **options):
        if companies_house_client() is None:
            raise CommandError("Set COMPANIES_HOUSE_API_KEY to check suppliers at Companies House.")
        try:
            result = services.suppliers_check(today=timezone.localdate())
        except CompaniesHouseError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(result))
