"""The admin site: for active staff, and with REQUIRE_2FA on only once they have verified
a TOTP device (django-otp) in this session."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache


def _is_verified(user) -> bool:
    # OTPMiddleware gives request.user is_verified(); a user without it has verified nothing.
    return getattr(user, "is_verified", lambda: False)()


class AdminSite(admin.AdminSite):
    site_header = "Contract register administration"
    site_title = "Contract register admin"
    index_title = "Users, reference data and records"

    def has_permission(self, request) -> bool:
        if not super().has_permission(request):
            return False
        return not settings.REQUIRE_2FA or _is_verified(request.user)

    @method_decorator(never_cache)
    @method_decorator(login_not_required)  # as Django's own: LoginRequiredMiddleware lets it through
    def login(self, request, extra_context=None):
        # A signed-in administrator who lacks only the second factor is sent to give it, rather
        # than told by the admin's sign-in page that they may not see the admin.
        user = request.user
        if settings.REQUIRE_2FA and user.is_active and user.is_staff and not _is_verified(user):
            next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
            return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': next_url})}")
        return super().login(request, extra_context)
