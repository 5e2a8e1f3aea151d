"""The request as the register's views see it.

LoginRequiredMiddleware lets no anonymous request through to a view that is not marked
`login_not_required`, so behind it the user is always one of the register's people."""

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
