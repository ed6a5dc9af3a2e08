from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from imvo.core.backup import create_backup


class Command(BaseCommand):
    help = "Back up the database and stored files to one .tar.gz archive."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--out", help="Archive path (default: var/backups/imvo-<time>.tar.gz)")
        parser.add_argument(
            "--include-keys",
            action="store_true",
            help="Also store encryption keys (keep it safe!).",
        )

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        out = Path(
            opts["out"]
            or Path(settings.VAR_DIR, "backups", f"imvo-{datetime.now():%Y%m%d-%H%M%S}.tar.gz")  # noqa: DTZ005 - the operator's clock names the file
        )
        manifest = create_backup(out, include_keys=opts["include_keys"], progress=self.stdout.write)
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {out} ({rows} rows, {len(manifest['files'])} files)"
            )
        )
        if not opts["include_keys"]:
            self.stdout.write(
                "Encryption keys are not in this backup; back up var/keys separately."
            )
