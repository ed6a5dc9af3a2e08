"""Back up and restore a whole install: the database and every class of stored
files (each folder in the storage registry, ``imvo/core/storage.py``).

An archive is a tar file holding ``manifest.json``, the database and
``files/<location>/<path>``. The manifest lists the row count of every table,
the SHA-256 of every stored file and of the database dump, and fingerprints
that apps compute from their decrypted data (complaints, TOTP secrets,
published reports: ``register_verifier``). A restore goes into an empty install
and checks all three: counts, checksums, and that the restored data decrypts
to the same fingerprints (so a restore without the right keys is caught then,
not on the day someone needs a complaint).

Archives are written with permissions 0600. Encryption keys (``VAR_DIR/keys``)
are NOT in a backup unless asked for with ``include_keys``: a backup and its
keys should travel separately.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
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

from imvo.core import sealing, storage
from imvo.core.errors import DomainError

FORMAT_VERSION = 2
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

Progress = Callable[[str], Any]
Manifest = dict[str, Any]

# name -> function returning {item: fingerprint}; see register_verifier.
_verifiers: dict[str, Callable[[], dict[str, str]]] = {}


def register_verifier(name: str, fingerprints: Callable[[], dict[str, str]]) -> None:
    """An app's check that its restored data is readable, not only present.

    ``fingerprints()`` returns a small deterministic sample of the app's data
    as {item: digest}, computed from the decrypted content (e.g. a hash of a
    complaint's decrypted text and evidence). The backup stores it; the restore
    computes it again and must get the same. It may raise an exception (a key
    that does not fit): the restore reports it as a failed check.
    """
    _verifiers[name] = fingerprints


def sample(ids: list[int], n: int = 25) -> list[int]:
    """Up to n ids spread evenly over a sorted list (first and last included)."""
    if len(ids) <= n:
        return ids
    step = (len(ids) - 1) / (n - 1)
    return [ids[round(i * step)] for i in range(n)]


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


def fingerprints() -> dict[str, dict[str, str]]:
    return {name: fn() for name, fn in sorted(_verifiers.items())}


def _open_private(path: Path) -> int:
    """A new file only its owner can read: the archive holds every complaint."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # also when the file existed with wider permissions
    return fd


def _add_bytes(tar: tarfile.TarFile, name: str, blob: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(blob)
    info.mode = 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(blob))


def create_backup(out: Path, include_keys: bool = False, progress: Progress = print) -> Manifest:
    """Write the archive ``out`` (0600). Returns the manifest."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp, "data.json")
        progress("Dumping the database")
        with data.open("w", encoding="utf-8") as f:
            call_command("dumpdata", exclude=EXCLUDE, natural_foreign=True, stdout=f, verbosity=0)
        stray = storage.unregistered_files()
        for p in stray:
            progress(f"WARNING: {p} is in no registered storage location and is NOT backed up")
        files: dict[str, str] = {}
        sources: list[tuple[str, Path]] = []
        for loc in storage.locations():
            for rel, p in loc.files():
                files[f"{loc.name}/{rel}"] = _sha256(p)
                sources.append((f"{loc.name}/{rel}", p))
        manifest: Manifest = {
            "format": FORMAT_VERSION,
            "created": datetime.now(UTC).isoformat(),
            "database_engine": settings.DATABASES["default"]["ENGINE"],
            "database": {"kind": "fixtures", "name": "data.json", "sha256": _sha256(data)},
            "counts": model_counts(),
            "locations": {loc.name: loc.what for loc in storage.locations()},
            "files": files,
            "fingerprints": fingerprints(),
            "unregistered_files": [str(p) for p in stray],
            "keys_included": include_keys,
        }
        progress(f"Writing {out} ({len(files)} stored files)")
        with (
            os.fdopen(_open_private(out), "wb") as raw,
            tarfile.open(fileobj=raw, mode="w:gz") as tar,
        ):
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
            tar.add(data, arcname="data.json")
            for arcname, p in sources:
                tar.add(p, arcname=f"files/{arcname}")
            keys = Path(settings.VAR_DIR, KEYS_DIRNAME)
            if include_keys and keys.exists():
                tar.add(keys, arcname=KEYS_DIRNAME)
    return manifest


# Tables that migrations leave empty: a row in any of them is someone's data.
# (Other tables, e.g. reference data, are filled by the migrations themselves.)
PEOPLE_TABLES = ["accounts.User", "covenants.Organisation", "covenants.Covenant"]


def _database_is_empty() -> bool:
    return not any(apps.get_model(label)._default_manager.exists() for label in PEOPLE_TABLES)


def _extract(archive: Path, into: Path) -> Manifest:
    try:
        with tarfile.open(archive, "r:*") as tar:
            # The filter refuses absolute paths, '..' and links out of the folder.
            tar.extractall(into, filter="data")
        manifest: Manifest = json.loads((into / "manifest.json").read_text())
    except (tarfile.TarError, EOFError, OSError, ValueError) as e:
        raise DomainError(f"{archive}: not a readable IMVO backup ({e}).") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise DomainError(
            f"{archive}: backup format {manifest.get('format')!r}; this version restores "
            f"format {FORMAT_VERSION}. Restore it with the version that wrote it."
        )
    return manifest


def _check_checksums(archive: Path, root: Path, manifest: Manifest) -> None:
    db = manifest["database"]
    if _sha256(root / db["name"]) != db["sha256"]:
        raise DomainError(f"{archive}: the database dump does not match its checksum; damaged.")
    for rel, digest in manifest["files"].items():
        p = root / "files" / rel
        if not p.is_file() or _sha256(p) != digest:
            raise DomainError(f"{archive}: stored file {rel} is missing or damaged.")


def verify_restored(manifest: Manifest) -> list[str]:
    """Compare the install with the manifest: row counts, stored files, fingerprints."""
    problems = []
    counts = model_counts()
    for label, n in manifest["counts"].items():
        if counts.get(label) != n:
            problems.append(f"{label}: {counts.get(label)} rows, the backup has {n}")
    known = {loc.name: loc for loc in storage.locations()}
    for rel, digest in manifest["files"].items():
        name, _, path = rel.partition("/")
        loc = known.get(name)
        if loc is None:
            problems.append(f"stored file {rel}: no storage location {name!r} in this version")
            continue
        target = loc.root / path
        if not target.is_file() or _sha256(target) != digest:
            problems.append(f"stored file {rel}: missing or different after the restore")
    sealing.forget_keys()
    for name, expected in manifest.get("fingerprints", {}).items():
        fn = _verifiers.get(name)
        if fn is None:
            problems.append(f"{name}: no check for it in this version")
            continue
        try:
            got = fn()
        except Exception as e:  # a key that does not fit, a file that cannot be read
            problems.append(f"{name}: cannot be read after the restore: {e}")
            continue
        differ = sorted(k for k in expected if got.get(k) != expected[k])
        if differ:
            problems.append(f"{name}: {len(differ)} sampled item(s) differ, e.g. {differ[0]}")
    return problems


def restore_backup(archive: Path, force: bool = False, progress: Progress = print) -> Manifest:
    """Restore into an empty install; verify counts, file checksums and fingerprints."""
    if not archive.exists():
        raise DomainError(f"{archive}: no such file.")
    call_command("migrate", verbosity=0, interactive=False)
    if not force and not _database_is_empty():
        raise DomainError(
            "This install already holds data. Restore into an empty database, or add --force "
            "to replace what is there."
        )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        manifest = _extract(archive, root)
        _check_checksums(archive, root, manifest)
        progress("Loading the database")
        with transaction.atomic():
            if force:
                call_command("flush", verbosity=0, interactive=False)
            call_command("loaddata", str(root / manifest["database"]["name"]), verbosity=0)
        progress(f"Restoring {len(manifest['files'])} stored files")
        known = {loc.name: loc for loc in storage.locations()}
        for rel in manifest["files"]:
            name, _, path = rel.partition("/")
            if name not in known:
                continue  # reported by verify_restored
            target = known[name].root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / "files" / rel, target)
        if (root / KEYS_DIRNAME).exists():
            keys = Path(settings.VAR_DIR, KEYS_DIRNAME)
            keys.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.copytree(root / KEYS_DIRNAME, keys, dirs_exist_ok=True)
    progress("Verifying row counts, stored files and decrypted samples")
    problems = verify_restored(manifest)
    if problems:
        raise DomainError(
            "The restore did not verify:\n  "
            + "\n  ".join(problems)
            + "\nIf the samples cannot be read, copy the key folder (var/keys) of the old "
            "install into this one, or restore a backup made with --include-keys."
        )
    return manifest
