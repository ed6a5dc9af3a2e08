"""Collect static files only when they changed.

`imvo serve` used to run collectstatic on every start. With the manifest and
compressing storage (whitenoise) that re-hashes and re-compresses every file,
Swagger UI's bundles included: half a minute of CPU before the server could
start (measured: 32 s user time). A stamp of the source files (path, size,
modification time) and the storage in STATIC_ROOT lets a start skip it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings

STAMP = ".imvo-collected"


def source_stamp() -> str:
    from django.contrib.staticfiles.finders import get_finders

    h = hashlib.sha256(str(settings.STORAGES["staticfiles"]["BACKEND"]).encode())
    entries = []
    for finder in get_finders():
        for path, storage in finder.list([]):
            full = Path(storage.path(path))
            st = full.stat()
            entries.append(f"{path}\0{st.st_size}\0{st.st_mtime_ns}")
    for line in sorted(entries):
        h.update(line.encode())
    return h.hexdigest()


def collect_if_changed() -> bool:
    """Run collectstatic when the sources changed since the last run; True if it ran."""
    from django.core.management import call_command

    stamp_file = Path(settings.STATIC_ROOT) / STAMP
    stamp = source_stamp()
    if stamp_file.exists() and stamp_file.read_text().strip() == stamp:
        return False
    call_command("collectstatic", verbosity=0, interactive=False)
    stamp_file.write_text(stamp + "\n")
    return True
