from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "imvo.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from datetime import timedelta

        from imvo.core import schedule, squashed_migrations  # noqa: F401 (registers its check)

        schedule.register_job(
            "core-housekeeping",
            schedule.housekeeping,
            timedelta(days=1),
            "remove old worker heartbeats and finished task results",
        )
