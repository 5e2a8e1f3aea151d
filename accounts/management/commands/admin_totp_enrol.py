"""Give an administrator an authenticator app (a TOTP device) for the admin site's second step."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User


class Command(BaseCommand):
    help = (
        "Enrol a TOTP authenticator app for an administrator and print its otpauth:// link. Replaces the "
        "user's earlier TOTP devices. The link is a secret: hand it to that administrator only."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        if not (user.is_active and user.is_staff):
            raise CommandError(f"{username} is not an active administrator (staff): the admin site is closed to them.")
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        self.stdout.write(
            f"Enrolled an authenticator app for {username}. Add this link to the app (or make it a QR code):\n"
            f"{device.config_url}\n"
            "It is a secret: give it to the administrator only. They then enter the app's code when the admin asks."
        )
