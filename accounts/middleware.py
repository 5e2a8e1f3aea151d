from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from accounts import two_factor

# What someone who still owes the second factor may open: the pages that take it, and signing out.
OPEN_BEFORE_SECOND_FACTOR = {"accounts:verify", "accounts:two_factor_setup", "accounts:logout", "accounts:login"}


class ViewMiddleware:
    """A middleware that decides in `process_view`, once the URL is resolved (and so the view's name and
    its LoginRequiredMiddleware mark are known), and passes every request on otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)


class SecondFactorMiddleware(ViewMiddleware):
    """With settings.REQUIRE_2FA on, a signed-in user who must give a second factor (accounts.two_factor.
    required_for) and has not in this session is sent to give it before any page: to the verify page,
    or, without an authenticator app yet, to set one up. Pages open without signing in stay open."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or two_factor.verified(user):
            return None
        if not settings.REQUIRE_2FA and not user.is_supplier:
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


# What a supplier's person may open outside the portal: signing in and out, the second factor, a forgotten
# password, and the health check. Everything else of the register (and the API) answers 403.
SUPPLIER_OPEN = {
    "healthz",
    "accounts:login",
    "accounts:logout",
    "accounts:verify",
    "accounts:two_factor_setup",
    "accounts:password_reset",
    "accounts:password_reset_sent",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
}
SUPPLIER_NAMESPACE = "portal"


class SupplierGateMiddleware(ViewMiddleware):
    """A supplier's person sees the supplier portal (/supplier/) and nothing of the register: every other
    page, download, feed and the API answers 403 to them, before any view looks anything up (so it tells
    nothing about any object); the site's front page sends them to the portal. Before the second-factor
    check, so the refusal never depends on whether they gave their code."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not user.is_supplier:
            return None
        match = request.resolver_match
        if SUPPLIER_NAMESPACE in match.namespaces or match.view_name in SUPPLIER_OPEN:
            return None
        if match.view_name == "home":
            return redirect(f"{SUPPLIER_NAMESPACE}:home")
        raise PermissionDenied
