from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from core.sessions import stamp_on_sign_in

        user_logged_in.connect(stamp_on_sign_in, dispatch_uid="core.sessions.stamp_on_sign_in")
