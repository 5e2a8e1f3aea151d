from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_changed")
        ),
        name="password_change",
    ),
    path(
        "password/changed/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_changed.html"),
        name="password_changed",
    ),
    # A forgotten password: Django's own views, open without signing in.
    path("password/forgotten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/forgotten/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    # Two-step sign-in.
    path("verify/", views.verify, name="verify"),
    path("two-step/", views.two_factor_overview, name="two_factor"),
    path("two-step/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("two-step/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("two-step/turn-off/", views.two_factor_off, name="two_factor_off"),
]
