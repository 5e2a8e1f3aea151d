from django.utils import timezone
from drf_spectacular.authentication import SessionScheme, TokenScheme
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header

from accounts import two_factor
from exchange.services.tokens import api_token_user


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>`, as Django REST framework's TokenAuthentication reads it, checked
    against the digests of exchange.models.ApiToken (and, for a while, of the tokens made before them)."""

    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header: give `Token <key>`.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        user = api_token_user(key=key, now=timezone.now())
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        if user.is_supplier:  # a supplier's person reads nothing of the register, with a token or without
            raise exceptions.PermissionDenied
        return (user, None)

    def authenticate_header(self, request):
        return self.keyword


class VerifiedSessionAuthentication(SessionAuthentication):
    """A signed-in browser session, once it has given the second factor it owes (accounts.two_factor):
    the API's views are open to tokens without signing in, so SecondFactorMiddleware lets them through."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and result[0].is_supplier:  # SupplierGateMiddleware refuses them first, too
            raise exceptions.PermissionDenied
        if result is not None and two_factor.required_for(result[0]) and not two_factor.verified(result[0]):
            return None
        return result


# The OpenAPI schema describes both as drf-spectacular describes Django REST framework's own.
class ApiTokenScheme(TokenScheme):
    target_class = "exchange.api.authentication.ApiTokenAuthentication"


class VerifiedSessionScheme(SessionScheme):
    target_class = "exchange.api.authentication.VerifiedSessionAuthentication"
