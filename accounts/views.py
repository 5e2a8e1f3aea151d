from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user
from django_otp import login as otp_login

from accounts.forms import VerifyForm


def verify(request):
    """The second factor the admin site asks of an administrator (settings.ADMIN_REQUIRE_2FA)."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_verified():
        return redirect(next_url)
    has_device = any(devices_for_user(request.user, confirmed=True))
    form = VerifyForm(request.user, data=request.POST if request.method == "POST" else None)
    if has_device and form.is_valid():
        request.session.cycle_key()  # a new session key for the raised privilege
        otp_login(request, form.device)
        return redirect(next_url)
    return render(request, "accounts/verify.html", {"form": form, "has_device": has_device, "next": next_url})
