"""`imvo backup`: the database and every stored file in one archive (docs/operations.md)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from imvo.core.backup import create_backup
from imvo.core.errors import DomainError


def read_passphrase(path: str | None) -> str | None:
    """From --passphrase-file, else IMVO_BACKUP_PASSPHRASE, else none."""
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8").strip()
        except OSError as e:
            raise CommandError(f"{path}: cannot read the passphrase file ({e.strerror}).") from None
        if not text:
            raise CommandError(f"{path} is empty.")
        return text
    return os.environ.get("IMVO_BACKUP_PASSPHRASE") or None


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump custom format; SQLite: online backup) "
        "and every stored file into one archive, readable only by its owner (0600)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", help="Archive path (default: var/backups/imvo-<time>.tar[.enc])"
        )
        parser.add_argument(
            "--include-keys",
            action="store_true",
            help="Also store the encryption keys (var/keys). Keep such an archive very safe.",
        )
        parser.add_argument(
            "--encrypt",
            action="store_true",
            help="Encrypt the archive with the passphrase in IMVO_BACKUP_PASSPHRASE or --passphrase-file.",
        )
        parser.add_argument("--passphrase-file", help="File holding the passphrase.")
        parser.add_argument(
            "--portable",
            action="store_true",
            help="Store the database as JSON fixtures (much slower; restores on the other engine).",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        passphrase = read_passphrase(opts["passphrase_file"])
        if opts["encrypt"] and not passphrase:
            raise CommandError(
                "--encrypt needs a passphrase: set IMVO_BACKUP_PASSPHRASE or give --passphrase-file."
            )
        if not opts["encrypt"]:
            passphrase = None
        suffix = ".tar.enc" if passphrase else ".tar"
        out = Path(
            opts["out"]
            or Path(settings.VAR_DIR, "backups", f"imvo-{datetime.now():%Y%m%d-%H%M%S}{suffix}")  # noqa: DTZ005 - the operator's clock names the file
        )
        try:
            manifest = create_backup(
                out,
                include_keys=opts["include_keys"],
                progress=self.stdout.write,
                portable=opts["portable"],
                passphrase=passphrase,
            )
        except DomainError as e:
            raise CommandError(str(e)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {out} ({manifest['database']['kind']} database, {rows} rows, "
                f"{len(manifest['files'])} files{', encrypted' if passphrase else ''})"
            )
        )
        if not opts["include_keys"]:
            self.stdout.write(
                "Encryption keys are not in this backup; back up var/keys separately."
            )
