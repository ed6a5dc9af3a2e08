"""Build a fresh demo database with realistic data, then serve it."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Fresh demo database (SQLite by default) with realistic data, then serve it."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--no-serve", action="store_true", help="Build the database, do not serve."
        )
        parser.add_argument(
            "--yes", action="store_true", help="Allow wiping a non-SQLite database (it is emptied)."
        )

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        from imvo.core.demo import DEMO_PASSWORD, load_demo

        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            connection.close()
            path = Path(db["NAME"])
            path.parent.mkdir(parents=True, exist_ok=True)
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            call_command("migrate", verbosity=0, interactive=False)
        else:
            if not opts["yes"]:
                raise CommandError(
                    "The demo empties the database. DATABASE_URL points to a server database; "
                    "add --yes if you mean it."
                )
            call_command("migrate", verbosity=0, interactive=False)
            call_command("flush", verbosity=0, interactive=False)
        logins = load_demo(progress=self.stdout.write)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS("Demo data loaded. Logins (password for all: %s):" % DEMO_PASSWORD)
        )
        for username, what in logins:
            self.stdout.write(f"  {username:<14} {what}")
        if not opts["no_serve"]:
            call_command("serve", port=opts["port"])
