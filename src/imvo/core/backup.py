"""Back up and restore a whole install: the database (as Django fixtures, so a backup
taken on SQLite restores on PostgreSQL and back) and the stored files (uploads,
evidence, published reports).

Encryption keys (e.g. the complaints key) are NOT in a backup unless asked for
with include_keys: a backup and its keys should travel separately.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from imvo.core.errors import DomainError

FORMAT_VERSION = 1
# Rebuilt by migrations or worthless after a restore.
EXCLUDE = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes",
    "django_tasks_database",
]
KEYS_DIRNAME = "keys"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def model_counts() -> dict[str, int]:
    skip_apps = {"contenttypes", "sessions", "admin", "axes", "django_tasks_database"}
    counts = {}
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.app_label in skip_apps or label == "auth.Permission":
            continue
        counts[label] = model._default_manager.count()
    return counts


def create_backup(
    out: Path, include_keys: bool = False, progress: Callable[[str], Any] = print
) -> dict[str, Any]:
    """Write a .tar.gz with manifest.json, data.json and files/. Returns the manifest."""
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp, "data.json")
        progress("Dumping the database")
        with data.open("w", encoding="utf-8") as f:
            call_command("dumpdata", exclude=EXCLUDE, natural_foreign=True, stdout=f, verbosity=0)
        files = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
        manifest = {
            "format": FORMAT_VERSION,
            "created": datetime.now(UTC).isoformat(),
            "database_engine": settings.DATABASES["default"]["ENGINE"],
            "counts": model_counts(),
            "data_sha256": _sha256(data),
            "files": {str(p.relative_to(media)): _sha256(p) for p in files},
            "keys_included": include_keys,
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        progress(f"Writing {out} ({len(files)} stored files)")
        with tarfile.open(out, "w:gz") as tar:
            blob = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
            tar.add(data, arcname="data.json")
            for p in files:
                tar.add(p, arcname=f"files/{p.relative_to(media)}")
            keys = Path(settings.VAR_DIR, KEYS_DIRNAME)
            if include_keys and keys.exists():
                tar.add(keys, arcname=KEYS_DIRNAME)
    return manifest


def _database_is_empty() -> bool:
    from imvo.covenants.models import Covenant, Organisation

    return not (Covenant.objects.exists() or Organisation.objects.exists())


def restore_backup(
    archive: Path, force: bool = False, progress: Callable[[str], Any] = print
) -> dict[str, Any]:
    """Restore into an empty install; verify counts and file hashes against the manifest."""
    if not archive.exists():
        raise DomainError(f"{archive}: no such file.")
    call_command("migrate", verbosity=0, interactive=False)
    if not force and not _database_is_empty():
        raise DomainError(
            "This install already holds data. Restore into an empty database, or add --force "
            "to replace what is there."
        )
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                # The filter refuses absolute paths, '..' and links out of the folder.
                tar.extractall(tmp, filter="data")
            manifest = json.loads((root / "manifest.json").read_text())
        except (tarfile.TarError, EOFError, OSError, ValueError) as e:
            raise DomainError(f"{archive}: not a readable IMVO backup ({e}).") from None
        if manifest.get("format") != FORMAT_VERSION:
            raise DomainError(f"{archive}: unknown backup format {manifest.get('format')!r}.")
        if _sha256(root / "data.json") != manifest["data_sha256"]:
            raise DomainError(
                f"{archive}: data.json does not match its checksum; the file is damaged."
            )
        for rel, digest in manifest["files"].items():
            if _sha256(root / "files" / rel) != digest:
                raise DomainError(f"{archive}: stored file {rel} is damaged (checksum differs).")
        progress("Loading the database")
        with transaction.atomic():
            if force:
                call_command("flush", verbosity=0, interactive=False)
            call_command("loaddata", str(root / "data.json"), verbosity=0)
        progress(f"Restoring {len(manifest['files'])} stored files")
        for rel in manifest["files"]:
            target = media / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / "files" / rel, target)
        if (root / KEYS_DIRNAME).exists():
            shutil.copytree(
                root / KEYS_DIRNAME, Path(settings.VAR_DIR, KEYS_DIRNAME), dirs_exist_ok=True
            )
    counts = model_counts()
    differences = {
        label: (n, counts.get(label))
        for label, n in manifest["counts"].items()
        if counts.get(label) != n
    }
    if differences:
        raise DomainError(f"Restored row counts differ from the backup: {differences}")
    return manifest
