from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from accounts import two_factor

# What someone who still owes the second factor may open: the pages that take it, and signing out.
OPEN_BEFORE_SECOND_FACTOR = {"accounts:verify", "accounts:two_factor_setup", "accounts:logout", "accounts:login"}


class SecondFactorMiddleware:
    """With settings.REQUIRE_2FA on, a signed-in user who must give a second factor (accounts.two_factor.
    required_for) and has not in this session is sent to give it before any page: to the verify page,
    or, without an authenticator app yet, to set one up. Pages open without signing in stay open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not settings.REQUIRE_2FA or not user.is_authenticated or two_factor.verified(user):
            return None
        if not getattr(view_func, "login_required", True):  # LoginRequiredMiddleware's mark: a public page
            return None
        if request.resolver_match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if two_factor.has_app(user):
            target = "accounts:verify"
        elif two_factor.must_use(user):
            target = "accounts:two_factor_setup"
        else:
            return None
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
