from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "imvo.core"
    verbose_name = "Core"
