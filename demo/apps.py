from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark data: the top of the layers, importing every app; nothing imports it."""

    name = "demo"
