"""One registry of the places where the platform stores files.

Backups, restores and the operators' documentation read this registry, so a
file class that an app stores somewhere is backed up only if the app says
where. Each app declares its locations in its ``AppConfig`` (``media``,
``core.appconfig``) or registers them in its ``connect()``; core
names no domain app. A test (``core/tests/test_storage.py``) fails when a
model's FileField writes outside every registered location, and the restore
test fails when a populated install holds files in ``VAR_DIR`` that no
location claims.

A location registered ``private=True`` (complaint evidence) is the owner's
alone: its folders 0700, its files 0600, whatever the process's umask; the app
writes through `write_private` and makes its folder with `private_folder`, and
a restore gives the restored folders and files the same modes
(`make_private`).

What lives in ``VAR_DIR`` but is not data (the SQLite file, keys, backups,
collected static files) is named in ``NOT_DATA`` with the reason.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger("imvo")


@dataclass(frozen=True)
class StorageLocation:
    """A folder holding one class of stored files (uploads, evidence, attachments)."""

    name: str
    root_fn: Callable[[], Path]
    what: str
    private: bool = False

    @property
    def root(self) -> Path:
        return Path(self.root_fn()).resolve()

    def files(self) -> Iterator[tuple[str, Path]]:
        """(path relative to the root with '/' separators, absolute path) of every file."""
        root = self.root
        if not root.exists():
            return
        for p in sorted(root.rglob("*")):
            if p.is_file():
                yield p.relative_to(root).as_posix(), p


_locations: dict[str, StorageLocation] = {}

# Parts of VAR_DIR that are not data to back up as files, and why.
NOT_DATA: dict[str, str] = {
    "keys": "encryption keys: backed up separately (or with --include-keys)",
    "backups": "the backups themselves",
    "static": "collected static files, rebuilt by collectstatic",
    "tmp": "scratch space",
    "matching": "the facility index kept for matching: derived from the database, "
    "rebuilt when missing or stale (supplychain/registry_index.py)",
}


def register(
    name: str, root: Callable[[], Path], what: str, private: bool = False
) -> StorageLocation:
    """Declare a folder of stored files. ``root`` is called when needed, so
    settings changed later (tests, IMVO_VAR_DIR) are honoured. ``private``: the
    owner's alone (folders 0700, files 0600)."""
    location = StorageLocation(name=name, root_fn=root, what=what, private=private)
    existing = _locations.get(name)
    if existing is not None and existing.what != what:
        raise ValueError(f"storage location {name!r} is registered twice")
    _locations[name] = location
    return location


def register_media(name: str, prefix: str, what: str) -> StorageLocation:
    """A folder under MEDIA_ROOT written through a FileField's ``upload_to``."""
    return register(name, lambda: Path(settings.MEDIA_ROOT) / prefix, what)


def locations() -> list[StorageLocation]:
    return sorted(_locations.values(), key=lambda loc: loc.name)


def location(name: str) -> StorageLocation:
    try:
        return _locations[name]
    except KeyError:
        raise KeyError(f"no storage location named {name!r}") from None


def location_of(path: Path) -> StorageLocation | None:
    """The registered location that holds ``path``, if any."""
    p = Path(path).resolve()
    for loc in locations():
        if p.is_relative_to(loc.root):
            return loc
    return None


def _is_database_file(p: Path, var: Path) -> bool:
    # SQLite databases (the install's, the test suite's) and their journals sit at
    # the top of VAR_DIR; the database is backed up as a database, not as a file.
    return p.parent == var and ".sqlite3" in p.name


def unregistered_files(var_dir: Path | None = None) -> list[Path]:
    """Files in VAR_DIR that no location claims and that are not NOT_DATA: a
    backup would miss them. Empty on a healthy install."""
    var = Path(var_dir or settings.VAR_DIR).resolve()
    if not var.exists():
        return []
    skip = [var / d for d in NOT_DATA]
    roots = [loc.root for loc in locations()]
    out = []
    for p in var.rglob("*"):
        if not p.is_file() or _is_database_file(p, var):
            continue
        if any(p.is_relative_to(s) for s in skip) or any(p.is_relative_to(r) for r in roots):
            continue
        out.append(p)
    return sorted(out)


PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


def private_folder(path: Path) -> Path:
    """Make the folder `path` and every missing folder above it with mode 0700,
    and set `path` itself to 0700 (also when it existed wider: an install from
    before files were kept private). Explicit chmods, so the umask does not
    decide. Returns `path`."""
    missing = []
    p = Path(path)
    while not p.exists():
        missing.append(p)
        p = p.parent
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
        folder.chmod(PRIVATE_FOLDER)
    Path(path).chmod(PRIVATE_FOLDER)
    return Path(path)


def write_private(path: Path, data: bytes) -> None:
    """Write a new file readable and writable by the owner only (0600), whatever
    the umask: the file is created with that mode and set to it again before a
    byte is written. Refuses to overwrite (O_EXCL): stored names are new."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def make_private(location: StorageLocation) -> int:
    """Give a private location's folder, its folders (0700) and files (0600)
    the owner-only modes: after a restore, whose copies and `mkdir`s follow the
    umask and the archive, and on every `migrate` for files kept before they
    were (`close_private_locations`). Returns how many folders and files were
    wider than that (the location's own folder not counted)."""
    root = private_folder(location.root)
    opened = 0
    for p in root.rglob("*"):
        if p.is_symlink():
            continue  # never follow a link out of the folder to chmod its target
        mode = PRIVATE_FOLDER if p.is_dir() else PRIVATE_FILE
        if stat.S_IMODE(p.stat().st_mode) != mode:
            p.chmod(mode)
            opened += 1
    return opened


def close_private_locations(**_signal: object) -> int:
    """Every private location that exists made owner-only again (`make_private`).

    Evidence stored before files were kept 0600 stayed 0644 (readable by any
    account on the machine that reaches the folder) until a restore; this runs
    after every `migrate` (a `post_migrate` receiver of core: `imvo serve` and
    every upgrade migrate), so an install closes them at its next start.
    Returns the number of folders and files it closed, and logs it."""
    closed = 0
    for loc in locations():
        if loc.private and loc.root.exists():
            n = make_private(loc)
            if n:
                logger.warning("closed %d folder(s) and file(s) of %s to their owner", n, loc.name)
            closed += n
    return closed
