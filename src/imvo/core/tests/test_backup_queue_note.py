"""With the task queue in Redis (TASK_BACKEND=redis) an archive cannot hold the
work that was waiting: the backup and the restore say so, and how each kind of
work is done again, instead of a restore losing it unnoticed."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from imvo.core import backup

NOTE = "The task queue is in Redis (TASK_BACKEND=redis), not in this archive"


def _no_database(
    tmp: Path, portable: bool, progress: Any
) -> tuple[dict[str, str], dict[str, int], dict[str, Any]]:
    (tmp / "db.sqlite3").write_bytes(b"stand-in")
    return {"name": "db.sqlite3", "kind": "sqlite"}, {}, {}


@pytest.mark.parametrize(("queue", "said"), [("redis", True), ("database", False)])
def test_the_backup_says_when_the_queue_is_not_in_it(
    tmp_path, settings, monkeypatch, queue, said
) -> None:
    settings.VAR_DIR = tmp_path
    settings.TASK_BACKEND = queue
    monkeypatch.setattr(backup, "_dump", _no_database)
    lines: list[str] = []
    manifest = backup.create_backup(tmp_path / "b.tar", progress=lines.append)
    assert manifest["task_queue"] == queue
    assert any(NOTE in line and "Run again" in line for line in lines) is said


@pytest.mark.parametrize(("queue", "said"), [("redis", True), ("database", False), (None, False)])
def test_the_restore_says_what_comes_back_without_the_queue(monkeypatch, queue, said) -> None:
    from imvo.core.management.commands import restore

    manifest: dict[str, Any] = {"created": "2026-12-07", "counts": {"x": 1}, "files": {}}
    if queue:
        manifest["task_queue"] = queue  # an archive from before the field has none
    monkeypatch.setattr(restore, "restore_backup", lambda *a, **k: manifest)
    out = io.StringIO()
    call_command("restore", "archive.tar", stdout=out)
    assert "verified" in out.getvalue()
    assert (NOTE in out.getvalue() and "password-reset mail" in out.getvalue()) is said
