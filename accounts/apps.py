from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.signals import stamp_last_login

        # In place of Django's update_last_login (connected by django.contrib.auth, listed before this app),
        # which saves the whole person: see stamp_last_login.
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(stamp_last_login, dispatch_uid="accounts.stamp_last_login")
