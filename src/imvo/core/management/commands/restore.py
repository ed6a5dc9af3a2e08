"""`imvo restore ARCHIVE`: into an empty install, verified (docs/operations.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imvo.core.backup import queue_not_in_archive, restore_backup
from imvo.core.errors import DomainError
from imvo.core.management.commands.backup import read_passphrase


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty install and verify it: row counts, "
        "file checksums and a sample of decrypted complaints and TOTP secrets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="Replace the data already there.")
        parser.add_argument(
            "--passphrase-file",
            help="File holding the passphrase of an encrypted archive "
            "(or set IMVO_BACKUP_PASSPHRASE).",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            manifest = restore_backup(
                Path(opts["archive"]),
                force=opts["force"],
                progress=self.stdout.write,
                passphrase=read_passphrase(opts["passphrase_file"]),
            )
        except DomainError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored backup of {manifest['created']}: {sum(manifest['counts'].values())} rows, "
                f"{len(manifest['files'])} files; counts, checksums and decrypted samples verified."
            )
        )
        if note := queue_not_in_archive(manifest.get("task_queue", "")):
            self.stdout.write(self.style.WARNING(note))
