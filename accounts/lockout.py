"""Sign-in throttling with django-axes: a limit per username and a higher one per address."""

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's address. Behind PROXY_COUNT reverse proxies, each appending the address it saw
    to X-Forwarded-For, it is the PROXY_COUNT-th entry from the right: what the outermost proxy
    saw. Entries further left come from the client and could be forged."""
    if settings.PROXY_COUNT:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= settings.PROXY_COUNT:
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")


class LockoutHandler(AxesDatabaseHandler):
    """Axes compares one number of failures with AXES_FAILURE_LIMIT (5). The username's failures
    count as they are; the address's are scaled so that LOGIN_FAILURES_PER_ADDRESS of them (20)
    reach the same limit: one person mistyping cannot lock out an office that shares an address,
    while someone trying many usernames from one address is stopped."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # One queryset per AXES_LOCKOUT_PARAMETERS entry: ["username", "ip_address"].
        by_username, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return max(by_username, by_address * settings.AXES_FAILURE_LIMIT // settings.LOGIN_FAILURES_PER_ADDRESS)


def client_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The username a sign-in tried, as axes records it: at most the 150 characters a username may
    have (a longer one cannot exist, and axes keeps 255 at most: it must not fail the sign-in page)."""
    source = credentials if credentials else getattr(request, "POST", {})
    return str(source.get("username") or "")[:150]


def sign_in_failures(request: HttpRequest, username: str) -> int:
    """Failed sign-ins that count towards locking `username` (or the address) out, as axes counts them."""
    return AxesProxyHandler.get_failures(request, {"username": client_username(request, {"username": username})})
