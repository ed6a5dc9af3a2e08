"""One migrated test database per test run, copied to every pytest-xdist worker
(a pytest plugin, see the root conftest.py).

Migrating a test database from nothing costs about 10 CPU-seconds: Django renders
the model state of every migration. Under `pytest -n 2` each worker did it. Now the
first worker to need a database migrates its own as before and leaves a copy; the
other workers start from that copy, where Django finds every migration applied (as
with `--reuse-db`). The copy belongs to this run alone (named by xdist's run id,
removed when the run ends), so a new or changed migration is always applied.

SQLite files only; a PostgreSQL test database is migrated by each worker as before.
Without xdist, with `--reuse-db`, `--create-db` or `--no-migrations`, pytest-django
works as it always did.
"""

from __future__ import annotations

import fcntl
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

_MARK = ".migrated-"  # the copy: <test database>.migrated-<run id>


class _Shared:
    """This worker's part in sharing: "make" the copy, or "use" one."""

    role: str | None = None
    lock: IO[str] | None = None
    database: Path | None = None
    template: Path | None = None


_shared = _Shared()


def _sqlite_test_file() -> Path | None:
    from django.conf import settings

    db = settings.DATABASES["default"]
    name = db.get("TEST", {}).get("NAME")
    if "sqlite3" not in db["ENGINE"] or not name or "memory" in str(name):
        return None
    return Path(name)


def _remove(database: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def _copy(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (the file may be in WAL mode)."""
    _remove(target)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _release() -> None:
    if _shared.lock is not None:
        fcntl.flock(_shared.lock, fcntl.LOCK_UN)
        _shared.lock.close()
        _shared.lock = None


@pytest.fixture(scope="session")
def django_db_keepdb(
    request: pytest.FixtureRequest,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_use_migrations: bool,
    django_db_modify_db_settings: None,
) -> Iterator[bool]:
    """Keep (reuse) the database when this worker starts from the run's migrated copy."""
    workerinput: dict[str, Any] | None = getattr(request.config, "workerinput", None)
    database = _sqlite_test_file()
    if (
        workerinput is None
        or database is None
        or django_db_keepdb
        or django_db_createdb
        or not django_db_use_migrations
    ):
        yield django_db_keepdb
        return
    own = database.name.removesuffix(f"_{workerinput['workerid']}")  # the name before xdist's
    template = database.parent / f"{own}{_MARK}{workerinput['testrunuid']}"
    lock = open(f"{template}.lock", "a")  # noqa: SIM115 (held until the copy exists)
    fcntl.flock(lock, fcntl.LOCK_EX)  # while another worker migrates, wait for its copy
    _shared.lock, _shared.database, _shared.template = lock, database, template
    try:
        if template.exists():
            _copy(template, database)
            _shared.role = "use"
            _release()
            yield True
        else:
            _shared.role = "make"  # the lock is held until the copy is made
            yield False
    finally:
        _release()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's set-up; then the first worker leaves its migrated copy."""
    if _shared.role == "make" and _shared.template is not None:
        from django.db import connection

        with django_db_blocker.unblock():
            connection.close()  # its WAL is written back into the file
            assert _shared.database is not None
            _copy(_shared.database, _shared.template)
        _release()
    yield
    if _shared.role == "use" and _shared.database is not None:
        # Kept only to start from the copy: removed as pytest-django removes its own.
        from django.db import connection

        with django_db_blocker.unblock():
            connection.close()
        _remove(_shared.database)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The controller removes the run's copy once every worker is done."""
    if hasattr(session.config, "workerinput"):
        return
    database = _sqlite_test_file() if _django_configured() else None
    if database is None or not database.parent.is_dir():
        return
    for leftover in database.parent.glob(f"{database.name}{_MARK}*"):
        leftover.unlink(missing_ok=True)


def _django_configured() -> bool:
    from django.conf import settings

    return bool(settings.configured)
