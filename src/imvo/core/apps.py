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
        from imvo.core import squashed_migrations  # noqa: F401 (registers its check)
