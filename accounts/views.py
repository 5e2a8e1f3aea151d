from collections.abc import Callable

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import two_factor
from accounts.forms import SetupForm, ThrottledPasswordResetForm, VerifyForm
from accounts.http import AuthenticatedHttpRequest
from accounts.lockout import sign_in_failures

RECOVERY_CODES_SESSION_KEY = "two_factor_new_recovery_codes"


def _next_url(request, default: str = "home") -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return next_url
    return reverse(default)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


class LoginView(auth_views.LoginView):
    """Django's sign-in page, which warns when one more failure would lock the account (django-axes)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        username = form.cleaned_data.get("username")  # absent when the field itself was refused
        last_try = bool(username) and sign_in_failures(self.request, username) == settings.AXES_FAILURE_LIMIT - 1
        return self.render_to_response(self.get_context_data(form=form, last_try_before_lockout=last_try))


def verify(request: AuthenticatedHttpRequest):
    """The second step of signing in, once a session: a code from the authenticator app or a recovery code."""
    next_url = _next_url(request)
    if two_factor.verified(request.user):
        return redirect(next_url)
    has_app = two_factor.has_app(request.user)
    form = VerifyForm(request.user, data=request.POST if request.method == "POST" else None)
    if has_app and form.is_valid():
        request.session.cycle_key()  # a new session key for the raised privilege
        otp_login(request, form.device)
        if isinstance(form.device, StaticDevice):
            left = two_factor.recovery_codes_left(request.user)
            messages.warning(request, f"You used a recovery code: {left} left. Make new ones if you are running out.")
        return redirect(next_url)
    setup_url = _with_next("accounts:two_factor_setup", next_url)
    return render(
        request, "accounts/verify.html", {"form": form, "has_app": has_app, "next": next_url, "setup_url": setup_url}
    )


def two_factor_overview(request: AuthenticatedHttpRequest):
    user = request.user
    context = {
        "has_app": two_factor.has_app(user),
        "must_use": two_factor.must_use(user),
        "may_turn_off": rules.test_rule("accounts.may_turn_off_two_factor", user),
        "required": settings.REQUIRE_2FA,
        "codes_left": two_factor.recovery_codes_left(user),
    }
    return render(request, "accounts/two_factor.html", context)


def two_factor_setup(request: AuthenticatedHttpRequest):
    """Set up an authenticator app from a QR code; a first right code confirms it. Someone who already has
    an app replaces it only after giving this session's second factor (the middleware sees to it for
    anyone it asks; this page is open before the second factor, so it checks too)."""
    user = request.user
    if two_factor.has_app(user) and not two_factor.verified(user):
        return redirect(_with_next("accounts:verify", request.get_full_path()))
    device = two_factor.app_device_pending(user=user)
    form = SetupForm(device, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        codes = two_factor.app_enrol(device=device)
        request.session.cycle_key()
        otp_login(request, device)
        request.session[RECOVERY_CODES_SESSION_KEY] = codes
        messages.success(request, "Your authenticator app is set up: from now on, signing in asks for its code.")
        return redirect(_with_next("accounts:recovery_codes", _next_url(request, "accounts:two_factor")))
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_svg(device),
        "key": two_factor.key_for_typing(device),
        "next": _next_url(request, "accounts:two_factor"),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def recovery_codes(request: AuthenticatedHttpRequest):
    """Recovery codes: shown once, just after they are made (at set-up, or on asking for new ones)."""
    user = request.user
    if not two_factor.has_app(user):
        return redirect("accounts:two_factor")
    if request.method == "POST":
        request.session[RECOVERY_CODES_SESSION_KEY] = two_factor.recovery_codes_renew(user=user)
        return redirect("accounts:recovery_codes")
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    context = {
        "codes": codes,
        "codes_left": two_factor.recovery_codes_left(user),
        "next": _next_url(request, "accounts:two_factor"),
    }
    return render(request, "accounts/recovery_codes.html", context)


@require_POST
def two_factor_off(request: AuthenticatedHttpRequest):
    if not rules.test_rule("accounts.may_turn_off_two_factor", request.user):
        raise PermissionDenied("Whoever sees the whole register keeps two-step sign-in.")
    two_factor.two_factor_turn_off(user=request.user)
    messages.success(request, "Two-step sign-in is off: signing in asks for your password only.")
    return redirect("accounts:two_factor")


class RedirectThen(HttpResponseRedirect):
    """A redirect that does `then` once the server has sent it (WSGI servers close every response they
    send): the reset e-mail goes after the answer, so a known address answers as fast as an unknown one."""

    def __init__(self, url: str, *, then: Callable[[], None]):
        super().__init__(url)
        self.then = then

    def close(self) -> None:
        super().close()
        self.then()


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an e-mail address and always answers the same (accounts.forms.ThrottledPasswordResetForm)."""

    form_class = ThrottledPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")

    def form_valid(self, form):
        # The link starts with the site's own address, never the request's Host header.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        super().form_valid(form)  # Django's: the e-mails are made here, and kept (ThrottledPasswordResetForm)
        return RedirectThen(self.get_success_url(), then=form.send_unsent)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from the e-mail: valid for PASSWORD_RESET_TIMEOUT, once (a new password changes the
    token), and never for an account deactivated since it was sent."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None
