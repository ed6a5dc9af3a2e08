from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imvo.core.backup import restore_backup
from imvo.core.errors import DomainError


class Command(BaseCommand):
    help = "Restore a backup archive into an empty install (verifies checksums and row counts)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="Replace the data already there.")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        try:
            manifest = restore_backup(
                Path(opts["archive"]), force=opts["force"], progress=self.stdout.write
            )
        except DomainError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored backup of {manifest['created']}: {sum(manifest['counts'].values())} rows, "
                f"{len(manifest['files'])} files; counts and checksums verified."
            )
        )
