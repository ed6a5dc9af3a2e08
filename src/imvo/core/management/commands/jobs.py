"""`imvo jobs [list] | run [NAME ...] [--now]`: the worker's scheduled jobs."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Scheduled jobs the worker runs (reminders, retention purge, housekeeping): "
        "`list` shows their last and next run; `run` runs those due now (NAME... and "
        "--now: run these at once, due or not)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", nargs="?", default="list", choices=["list", "run"])
        parser.add_argument("names", nargs="*")
        parser.add_argument(
            "--now", action="store_true", help="Run the named jobs even if not due."
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        from imvo.core import schedule
        from imvo.core.models import ScheduledJob

        schedule.sync_jobs()
        if opts["action"] == "list":
            for j in ScheduledJob.objects.all():
                last = f"{j.last_finished_at:%Y-%m-%d %H:%M}" if j.last_finished_at else "never"
                self.stdout.write(
                    f"{j.name:<28} {j.last_status or '-':<8} last {last:<16} "
                    f"next {j.next_run_at:%Y-%m-%d %H:%M}  {j.last_result[:60]}"
                )
            return
        known = {j.name: j for j in schedule.jobs()}
        unknown = [n for n in opts["names"] if n not in known]
        if unknown:
            raise CommandError(f"No job named {', '.join(unknown)}; `imvo jobs` lists them.")
        if opts["now"]:
            ScheduledJob.objects.filter(name__in=opts["names"] or list(known)).update(
                next_run_at=timezone.now()
            )
        for name in opts["names"] or list(known):
            if schedule.claim(name):
                status = schedule.run_job(known[name])
                row = ScheduledJob.objects.get(name=name)
                self.stdout.write(f"{name}: {status}: {row.last_result}")
            else:
                self.stdout.write(f"{name}: not due, or running elsewhere")
