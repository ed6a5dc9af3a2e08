from imvo.core import appconfig


class CoreConfig(appconfig.ImvoConfig):
    name = "imvo.core"
    verbose_name = "Core"
    daily_jobs = (
        (
            "core-housekeeping",
            "schedule.housekeeping",
            "remove old worker heartbeats and finished task results",
        ),
    )

    def connect(self) -> None:
        from django.db.models.signals import post_migrate

        from imvo.core import (
            language_fallback,
            squashed_migrations,  # noqa: F401 (registers its check)
        )
        from imvo.core.storage import close_private_locations

        # Once per migrate (sender: this app), after every app's tables exist.
        post_migrate.connect(close_private_locations, sender=self, dispatch_uid="imvo-private")
        # Partly translated languages fill their gaps with English, not Dutch.
        language_fallback.install()
