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
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.models import QuerySet

from imvo.core import backup_crypto, sealing, squashed_migrations, storage
from imvo.core.backup_crypto import EncryptingWriter
from imvo.core.errors import DomainError

FORMAT_VERSION = 3
# Rebuilt by migrations or worthless after a restore. The task queue
# (`django_tasks_database`) is NOT among them: a task waiting when the backup
# was made (a supplier list to process, a report to build) must still wait after
# the restore, and a failed one keep its reason.
EXCLUDE = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes",
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


def sample_rows[M: models.Model](rows: QuerySet[M], n: int = 25) -> QuerySet[M]:
    """Up to n of `rows`, spread evenly over their primary keys (`sample`): what a
    restore check reads of a table."""
    return rows.filter(pk__in=sample(list(rows.order_by("pk").values_list("pk", flat=True)), n))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def model_counts_spec() -> list[str]:
    """The tables a restore is checked against (bookkeeping rebuilt by migrations left out)."""
    skip_apps = {"contenttypes", "sessions", "admin", "axes"}
    return [
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label not in skip_apps and m._meta.label != "auth.Permission"
    ]


def model_counts() -> dict[str, int]:
    return {label: apps.get_model(label)._default_manager.count() for label in model_counts_spec()}


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


class BackupError(DomainError):
    """A backup or restore that cannot go on; the message says what to do."""


def engine() -> str:
    name = str(settings.DATABASES["default"]["ENGINE"])
    if name.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in name:
        return "postgresql"
    return name


def _pg_args(binary: str) -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    exe = shutil.which(binary)
    if exe is None:
        raise BackupError(
            f"{binary} is not installed. Install the PostgreSQL client programs of the "
            "server's version (Debian: apt-get install postgresql-client), or make a "
            "portable backup with --portable."
        )
    args = [exe, "--no-owner", "--no-privileges"]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    r = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if r.returncode != 0:
        raise BackupError(f"{what} failed: {r.stderr.strip()[-2000:]}")


def _sqlite_counts(path: Path) -> dict[str, int]:
    """Row counts read from a SQLite file (the backup copy, so they match it exactly)."""
    counts = {}
    con = sqlite3.connect(path)
    try:
        for label in model_counts_labels():
            table = apps.get_model(label)._meta.db_table
            counts[label] = int(con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])  # noqa: S608
    finally:
        con.close()
    return counts


def model_counts_labels() -> list[str]:
    return sorted(model_counts_spec())


def _dump(
    tmp: Path, portable: bool, progress: Progress
) -> tuple[Manifest, dict[str, int], dict[str, dict[str, str]]]:
    """Write the database into tmp; return its manifest entry, row counts and
    fingerprints, all taken from the same state of the data."""
    kind = "fixtures" if portable else engine()
    if kind == "postgresql":
        target = tmp / "database.pgdump"
        args, env = _pg_args("pg_dump")
        name = str(settings.DATABASES["default"]["NAME"])
        # One snapshot for the dump, the counts and the fingerprints: what the
        # manifest says is exactly what the dump holds, while the site keeps running.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts, prints = model_counts(), fingerprints()
            progress("Dumping the database (pg_dump, custom format)")
            _run(
                [*args, "--format=custom", "--snapshot", snapshot, "--file", str(target), name],
                env,
                "pg_dump",
            )
    elif kind == "sqlite":
        target = tmp / "database.sqlite3"
        progress("Copying the database (SQLite online backup)")
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # a consistent copy, also while others write
        finally:
            copy.close()
            source.close()
        counts, prints = _sqlite_counts(target), fingerprints()
    else:
        target = tmp / "data.json"
        progress("Dumping the database (portable JSON fixtures)")
        with transaction.atomic():
            with target.open("w", encoding="utf-8") as f:
                call_command(
                    "dumpdata", exclude=EXCLUDE, natural_foreign=True, stdout=f, verbosity=0
                )
            counts, prints = model_counts(), fingerprints()
        kind = "fixtures"
    entry = {
        "kind": kind,
        "name": target.name,
        "sha256": _sha256(target),
        "bytes": target.stat().st_size,
    }
    return entry, counts, prints


def queue_not_in_archive(task_backend: str) -> str:
    """What an archive made with the task queue in Redis does not hold, and how that
    work is done again after a restore ("" when the queue is in the database: the
    archive holds it, EXCLUDE above). Said by the backup and by the restore."""
    if task_backend != "redis":
        return ""
    return (
        "The task queue is in Redis (TASK_BACKEND=redis), not in this archive; back Redis "
        "up with its own persistence, or know that after a restore without it: a supplier "
        "list that was waiting or being processed shows 'Run again' on its page once it "
        "has shown no progress for 15 minutes (its file and rows are in the archive); risk "
        "scans are computed again when next read; reminders and the retention purge come "
        "with the worker's daily schedule; a password-reset mail asked for and not yet "
        "sent is not sent (ask again)."
    )


def create_backup(
    out: Path,
    include_keys: bool = False,
    progress: Progress = print,
    portable: bool = False,
    passphrase: str | None = None,
) -> Manifest:
    """Write the archive ``out`` (0600), encrypted when a passphrase is given.

    The database goes in as the engine's own dump (PostgreSQL: pg_dump custom
    format; SQLite: the online backup API), or as JSON fixtures with
    ``portable`` (slow, but restores on the other engine). Returns the manifest.
    """
    tmp_root = Path(settings.VAR_DIR) / "tmp"
    tmp_root.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=tmp_root) as tmp:
        database, counts, prints = _dump(Path(tmp), portable, progress)
        stray = storage.unregistered_files()
        for p in stray:
            progress(f"WARNING: {p} is in no registered storage location and is NOT backed up")
        files: dict[str, str] = {}
        sources: list[tuple[str, Path]] = []
        for loc in storage.locations():
            for rel, p in loc.files():
                try:
                    files[f"{loc.name}/{rel}"] = _sha256(p)
                except FileNotFoundError:
                    continue  # removed since the listing (e.g. a retention purge)
                sources.append((f"{loc.name}/{rel}", p))
        if note := queue_not_in_archive(settings.TASK_BACKEND):
            progress(f"WARNING: {note}")
        manifest: Manifest = {
            "format": FORMAT_VERSION,
            "created": datetime.now(UTC).isoformat(),
            "database_engine": settings.DATABASES["default"]["ENGINE"],
            "database": database,
            "counts": counts,
            "locations": {loc.name: loc.what for loc in storage.locations()},
            "files": files,
            "fingerprints": prints,
            "unregistered_files": [str(p) for p in stray],
            "keys_included": include_keys,
            "encrypted": bool(passphrase),
            "task_queue": settings.TASK_BACKEND,
        }
        progress(f"Writing {out} ({len(files)} stored files)")
        with os.fdopen(_open_private(out), "wb") as raw:
            sink: Any = EncryptingWriter(raw, passphrase) if passphrase else raw
            with tarfile.open(fileobj=sink, mode="w|") as tar:
                _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
                tar.add(Path(tmp) / database["name"], arcname=database["name"])
                for arcname, p in sources:
                    tar.add(p, arcname=f"files/{arcname}")
                keys = Path(settings.VAR_DIR, KEYS_DIRNAME)
                if include_keys and keys.exists():
                    tar.add(keys, arcname=KEYS_DIRNAME)
            if passphrase:
                sink.close()
    return manifest


# Tables that migrations leave empty: a row in any of them is someone's data.
# (Other tables, e.g. reference data, are filled by the migrations themselves.)
PEOPLE_TABLES = ["accounts.User", "covenants.Organisation", "covenants.Covenant"]


def _database_is_empty() -> bool:
    tables = set(connection.introspection.table_names())
    return not any(
        apps.get_model(label)._meta.db_table in tables
        and apps.get_model(label)._default_manager.exists()
        for label in PEOPLE_TABLES
    )


def _extract(archive: Path, into: Path, passphrase: str | None) -> Manifest:
    encrypted = backup_crypto.is_encrypted(archive)
    if encrypted and not passphrase:
        raise BackupError(
            f"{archive} is encrypted: give its passphrase (IMVO_BACKUP_PASSPHRASE or "
            "--passphrase-file)."
        )
    try:
        with archive.open("rb") as raw:
            source: Any = (
                backup_crypto.DecryptingReader(raw, passphrase or "") if encrypted else raw
            )
            with tarfile.open(fileobj=source, mode="r|*") as tar:
                # The filter refuses absolute paths, '..' and links out of the folder.
                tar.extractall(into, filter="data")
            if encrypted:
                source.read()  # to the authenticated end: a cut-short archive fails here
        manifest: Manifest = json.loads((into / "manifest.json").read_text())
    except backup_crypto.BadPassphrase as e:
        raise BackupError(f"{archive}: {e}") from None
    except (tarfile.TarError, EOFError, OSError, ValueError) as e:
        raise BackupError(f"{archive}: not a readable IMVO backup ({e}).") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"{archive}: backup format {manifest.get('format')!r}; this version restores "
            f"format {FORMAT_VERSION}. Restore it with the version that wrote it."
        )
    return manifest


def _check_checksums(archive: Path, root: Path, manifest: Manifest) -> None:
    db = manifest["database"]
    if _sha256(root / db["name"]) != db["sha256"]:
        raise BackupError(f"{archive}: the database dump does not match its checksum; damaged.")
    for rel, digest in manifest["files"].items():
        p = root / "files" / rel
        if not p.is_file() or _sha256(p) != digest:
            raise BackupError(f"{archive}: stored file {rel} is missing or damaged.")


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


def _load(root: Path, manifest: Manifest, force: bool, progress: Progress) -> None:
    database = manifest["database"]
    kind, dump = database["kind"], root / database["name"]
    if kind not in {"fixtures", engine()}:
        raise BackupError(
            f"This backup holds a {kind} database and this install runs on {engine()}. "
            f"Restore it on {kind}, or make a portable backup there (imvo backup --portable)."
        )
    if kind == "postgresql":
        progress("Loading the database (pg_restore)")
        args, env = _pg_args("pg_restore")
        connection.close()
        _run(
            [
                *args,
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                str(settings.DATABASES["default"]["NAME"]),
                str(dump),
            ],
            env,
            "pg_restore",
        )
    elif kind == "sqlite":
        progress("Loading the database (SQLite online backup)")
        connection.close()
        source = sqlite3.connect(dump)
        target = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        progress("Loading the database (JSON fixtures)")
        call_command("migrate", verbosity=0, interactive=False)
        with transaction.atomic():
            if force:
                call_command("flush", verbosity=0, interactive=False)
            call_command("loaddata", str(dump), verbosity=0)
    # A backup of an older version: bring its tables up to this version.
    half = squashed_migrations.half_applied_squashes(connection)
    if half:
        raise BackupError(squashed_migrations.refusal(half))
    call_command("migrate", verbosity=0, interactive=False)


def restore_backup(
    archive: Path, force: bool = False, progress: Progress = print, passphrase: str | None = None
) -> Manifest:
    """Restore into an empty install; verify counts, file checksums and fingerprints."""
    if not archive.exists():
        raise BackupError(f"{archive}: no such file.")
    if not force and not _database_is_empty():
        raise BackupError(
            "This install already holds data. Restore into an empty database, or add --force "
            "to replace what is there."
        )
    tmp_root = Path(settings.VAR_DIR) / "tmp"
    tmp_root.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=tmp_root) as tmp:
        root = Path(tmp)
        manifest = _extract(archive, root, passphrase)
        _check_checksums(archive, root, manifest)
        _load(root, manifest, force, progress)
        progress(f"Restoring {len(manifest['files'])} stored files")
        known = {loc.name: loc for loc in storage.locations()}
        for rel in manifest["files"]:
            name, _, path = rel.partition("/")
            if name not in known:
                continue  # reported by verify_restored
            target = known[name].root / path
            if known[name].private:
                storage.private_folder(target.parent)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / "files" / rel, target)
        for loc in known.values():
            if loc.private and loc.root.exists():
                # Complaint evidence comes back the owner's alone, as it was kept,
                # whatever the archive or the umask say (storage.make_private).
                storage.make_private(loc)
        if (root / KEYS_DIRNAME).exists():
            keys = Path(settings.VAR_DIR, KEYS_DIRNAME)
            keys.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.copytree(root / KEYS_DIRNAME, keys, dirs_exist_ok=True)
            # tar's "data" filter drops a folder's mode, and copytree copies that
            # wider mode (0755) onto var/keys: make it the owner's alone again.
            keys.chmod(0o700)
            for key in keys.iterdir():
                key.chmod(0o600)
    progress("Verifying row counts, stored files and decrypted samples")
    keys = Path(settings.VAR_DIR, KEYS_DIRNAME)
    keys_before = set(keys.glob("*.key"))
    problems = verify_restored(manifest)
    if problems:
        # Reading a sample makes a fresh key file where none was: it opens none
        # of the restored data, and new complaints sealed with it would be lost
        # once the old key folder is copied in. Leave no key the install lacked.
        for made in set(keys.glob("*.key")) - keys_before:
            made.unlink()
        sealing.forget_keys()
        raise BackupError(
            "The restore did not verify:\n  "
            + "\n  ".join(problems)
            + "\nIf the samples cannot be read, copy the key folder (var/keys) of the old "
            "install into this one and run the same restore again with --force (the data "
            "is loaded already), or restore a backup made with --include-keys."
        )
    return manifest
