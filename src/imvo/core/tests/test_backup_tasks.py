"""A backup holds the task queue: work that was waiting when the backup was made
(a supplier list to process, a scan, a report) is still waiting after the
restore, and the worker runs it. Before, the portable backup left the queue's
table out (`EXCLUDE`) and no backup's manifest counted it, so a restore could
lose pending work unnoticed (DESIGN.md: "a backup restores all of it")."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from imvo.core.tests.serving import migrated_install, run_python, server_env

ENQUEUE = """
from imvo.core.tasks import record_heartbeat
result = record_heartbeat.enqueue("waiting across a restore")
print(result.id, result.status)
"""

QUEUE = """
import json
from django_tasks_db.models import DBTaskResult
from imvo.core.models import WorkerHeartbeat
print(json.dumps({
    "tasks": {str(t.id): t.status for t in DBTaskResult.objects.all()},
    "heartbeats": list(WorkerHeartbeat.objects.values_list("note", flat=True)),
}))
"""


def _imvo(var: Path, *args: str) -> str:
    r = subprocess.run(
        [sys.executable, "-m", "imvo.cli", *args],
        env=server_env(var),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    return r.stdout


def _queue(var: Path) -> dict[str, object]:
    state: dict[str, object] = json.loads(run_python(var, QUEUE).strip().splitlines()[-1])
    return state


@pytest.mark.slow
@pytest.mark.parametrize("portable", [False, True], ids=["native", "portable"])
def test_a_pending_task_survives_backup_and_restore_and_then_runs(tmp_path, portable):
    source, target = tmp_path / "source", tmp_path / "target"
    migrated_install(source, "covenant-x")
    task_id, status = run_python(source, ENQUEUE).split()
    assert status == "READY"

    archive = tmp_path / "backup.tar"
    _imvo(source, "backup", "--out", str(archive), *(["--portable"] if portable else []))
    manifest = json.loads(
        subprocess.run(
            ["tar", "-xOf", str(archive), "manifest.json"], capture_output=True, check=True
        ).stdout
    )
    # The manifest counts the queue, so the restore's check would miss a lost task.
    assert manifest["counts"]["django_tasks_database.DBTaskResult"] == 1

    assert "verified" in _imvo(target, "restore", str(archive))
    assert _queue(target) == {"tasks": {task_id: "READY"}, "heartbeats": []}
    _imvo(target, "worker", "--batch", "--no-schedule")
    assert _queue(target) == {
        "tasks": {task_id: "SUCCESSFUL"},
        "heartbeats": ["waiting across a restore"],
    }
