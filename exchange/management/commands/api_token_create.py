"""Make an API token for a user and print its key, once (as the admin's API tokens → Add does)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from exchange.services.tokens import api_token_create


class Command(BaseCommand):
    help = "Make an API token for USERNAME and print its key. Only a digest is kept: the key cannot be shown again."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="what uses the token, e.g. 'Reporting system'")
        parser.add_argument("--days", type=int, default=settings.API_TOKEN_DAYS, help="how long it works")

    def handle(self, *args, username: str, name: str, days: int, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user {username!r}.")
        if days < 1:
            raise CommandError("A token works for at least a day.")
        token, key = api_token_create(user=user, name=name, expires_at=timezone.now() + timedelta(days=days))
        self.stdout.write(
            f"API token {token.name!r} for {username}, working until {timezone.localtime(token.expires_at):%d %B %Y}:\n"
            f"{key}\nIt is shown only now: give it to the system that uses it."
        )
