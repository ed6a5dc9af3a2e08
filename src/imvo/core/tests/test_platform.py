"""The platform as an operator meets it: the imvo command, settings, the worker, the demo."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.tasks import TaskResultStatus

from imvo.core.models import WorkerHeartbeat
from imvo.core.tasks import record_heartbeat
from imvo.core.tests.serving import python
from imvo.core.tests.shared_database import shared_database_url

IMVO = [sys.executable, "-m", "imvo.cli"]


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"IMVO_TESTING", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(extra)
    return env


def _run(args, env, timeout=120):
    return subprocess.run(
        IMVO + args, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_help_lists_the_commands_with_one_line_each():
    out = _run(["--help"], _env()).stdout
    for command in ("demo", "serve", "worker", "migrate", "createuser", "token"):
        assert any(line.strip().startswith(command + " ") for line in out.splitlines()), command


def test_missing_secret_key_gives_a_clear_message_not_a_traceback(tmp_path):
    r = _run(["check"], _env(IMVO_VAR_DIR=str(tmp_path)))
    assert r.returncode != 0
    assert "SECRET_KEY is not set" in r.stderr
    assert "Traceback" not in r.stderr


def test_deploy_check_passes_with_production_settings(tmp_path):
    env = _env(
        IMVO_VAR_DIR=str(tmp_path),
        SECRET_KEY="x7#kQ9!v" * 8,
        ALLOWED_HOSTS="imvo.example.org",
    )
    r = _run(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert r.returncode == 0, r.stdout + r.stderr


def test_production_settings_hash_passwords_with_argon2(tmp_path):
    env = _env(
        IMVO_VAR_DIR=str(tmp_path), SECRET_KEY="k" * 60, DJANGO_SETTINGS_MODULE="imvo.settings"
    )
    code = "import imvo.settings as s; print(s.PASSWORD_HASHERS[0])"
    r = python(code, env)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_runs_through_the_real_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = record_heartbeat.enqueue("from the test suite")
    assert result.status == TaskResultStatus.READY
    env = _env(
        IMVO_TESTING="1", TASK_BACKEND="database", DATABASE_URL=shared_database_url(), DEBUG="0"
    )
    r = _run(["worker", "--batch"], env, timeout=120)
    assert r.returncode == 0, r.stderr
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL  # type: ignore[comparison-overlap]
    assert WorkerHeartbeat.objects.get(pk=result.return_value).note == "from the test suite"


def test_health_reports_database_and_worker(client, db):
    WorkerHeartbeat.objects.create(note="x")
    data = client.get("/health/").json()
    assert data["database"] == "ok" and data["worker_last_seen"]


@pytest.mark.slow  # builds the whole demo in a real process
def test_demo_builds_a_fresh_database_with_logins(tmp_path):
    env = _env(IMVO_VAR_DIR=str(tmp_path), DEBUG="1")
    env.pop("DATABASE_URL", None)
    r = _run(["demo", "--no-serve"], env, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "secretariat" in r.stdout and "company" in r.stdout
    assert Path(tmp_path, "imvo.sqlite3").exists()
    # Running it again starts afresh rather than failing on existing rows.
    r = _run(["demo", "--no-serve"], env, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]


def _redis_up() -> bool:
    import redis

    try:
        return bool(
            redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1).ping()
        )
    except redis.RedisError:
        return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_redis_backend_runs_tasks_through_its_worker():
    if not _redis_up():
        pytest.skip("no Redis server on 127.0.0.1:6379")
    import uuid

    env = _env(
        IMVO_TESTING="1",
        TASK_BACKEND="redis",
        REDIS_KEY_PREFIX=f"imvo_test_{uuid.uuid4().hex}",
        DATABASE_URL=shared_database_url(),
        DJANGO_SETTINGS_MODULE="imvo.settings",
    )
    enqueue = (
        "import django; django.setup();"
        "from imvo.core.tasks import record_heartbeat;"
        "print(record_heartbeat.enqueue('via redis').id)"
    )
    out = python(enqueue, env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert not WorkerHeartbeat.objects.filter(note="via redis").exists()  # queued, not yet run
    r = _run(["worker", "--batch"], env | {"LOG_FORMAT": "json"}, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert WorkerHeartbeat.objects.filter(note="via redis").count() == 1
    # Under `imvo serve` (LOG_FORMAT=json) every line is a JSON object: the redis
    # worker's own banner and task lines were plain text among them.
    lines = [line for line in (r.stdout + r.stderr).splitlines() if line.strip()]
    assert any("Processed task" in json.loads(line)["message"] for line in lines)
