"""The `imvo` command: one entry point for running and operating the platform.

Known commands are listed by `imvo --help`; any other word is handed to
Django's management commands (`imvo check --deploy`, `imvo shell`).
"""

from __future__ import annotations

import os
import sys

# (command, one-line help). Apps add their own management commands; list them here.
COMMANDS: list[tuple[str, str]] = [
    ("demo", "Fresh demo database with realistic data, then serve it (--port N, --no-serve)"),
    (
        "serve",
        "Serve the platform: gunicorn and the worker (--port N, --host H; --demo for the demo database)",
    ),
    ("worker", "Run the background worker: uploads, scans, reports, and the scheduled jobs"),
    ("jobs", "Scheduled jobs (reminders, retention purge...): `jobs` lists, `jobs run NAME --now`"),
    (
        "tasks",
        "Background tasks of the database queue: `tasks` lists running and failed, `tasks rerun ID`",
    ),
    ("migrate", "Create or update the database tables"),
    ("createuser", "Create a user (--organisation, --secretariat COVENANT, --committee COVENANT)"),
    ("token", "API tokens: create USER, list USER, revoke PREFIX"),
    ("match", "Match a supplier list against a registry file, offline (LIST --registry R --out O)"),
    ("scan", "Risk scan of a supplier list file, offline (LIST --format table|csv|json|xlsx|html)"),
    ("risk", "Risk indicator data: `risk import SOURCE FILE`, `risk sources`, `risk bundle`"),
    ("duediligence", "Due-diligence cycle: `duediligence figures|export|install`"),
    ("complaints", "Complaints: `complaints verify-audit|remind|overdue|purge|rotate-key`"),
    (
        "regulation",
        "Filings under the law: `regulation esrs|pack COVENANT YEAR --as USER -o FILE`, `plots`, `forced-labour`, `purge`",
    ),
    ("report", "Build a covenant's yearly progress report as PDF (COVENANT YEAR --out report.pdf)"),
    ("backup", "Back up the database and stored files to one archive"),
    ("restore", "Restore a backup archive into an empty install"),
    ("check", "Django's system checks (add --deploy for production settings)"),
    ("shell", "Python shell with the platform loaded"),
]


# Commands that read files and write files and need no configured platform.
OFFLINE = {"match", "scan"}


def usage() -> str:
    width = max(len(c) for c, _ in COMMANDS)
    lines = [
        "usage: imvo COMMAND [options]",
        "",
        "IMVO Covenant Platform: covenants, supply-chain due diligence, complaints, reporting.",
        "",
        "commands:",
        *(f"  {c.ljust(width)}  {h}" for c, h in COMMANDS),
        "",
        "Any other command is passed to Django's manage.py (see `imvo help-django`).",
        "Settings come from the environment: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    if args[0] == "help-django":
        args = ["help", *args[1:]]
    if args[0] == "demo" or (args[0] == "serve" and "--demo" in args):
        # The demo is a local, single-user install: debug pages and plain http.
        os.environ.setdefault("DEBUG", "1")
    if args[0] in {"serve", "demo"}:
        # A server's log is read by machines: one JSON object per line (imvo/core/logs.py).
        os.environ.setdefault("LOG_FORMAT", "json")
    if args[0] in OFFLINE or args[0] == "help" or any(a in {"-h", "--help"} for a in args[1:]):
        # Help texts and the offline tools (file to file: no server, nothing signed,
        # nothing stored) work before the platform is configured, e.g. on a
        # company's laptop. A throw-away key: nothing made with it outlives the run.
        import secrets

        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["imvo", *args])
    except ImproperlyConfigured as e:
        print(f"imvo: configuration error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
