"""Back up a populated install and restore it into an empty one (real processes, real files)."""

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

IMVO = [sys.executable, "-m", "imvo.cli"]


def _env(var: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(IMVO_VAR_DIR=str(var), IMVO_TESTING="1", DEBUG="1")
    return env


def _imvo(args: list[str], var: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(
        IMVO + args, env=_env(var), capture_output=True, text=True, timeout=300, check=False
    )
    if check:
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    return r


def _counts(var: Path) -> dict[str, Any]:
    code = (
        "import django; django.setup(); import json;"
        "from imvo.core.backup import model_counts; print(json.dumps(model_counts()))"
    )
    env = _env(var) | {"DJANGO_SETTINGS_MODULE": "imvo.settings"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    counts: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return counts


@pytest.mark.slow
def test_backup_restores_into_an_empty_install_identically(tmp_path):
    source, target = tmp_path / "source", tmp_path / "target"
    _imvo(["demo", "--no-serve"], source)
    stored = source / "media" / "uploads" / "evidence.bin"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(os.urandom(4096))
    archive = tmp_path / "backup.tar.gz"
    _imvo(["backup", "--out", str(archive)], source)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and "data.json" in names
    assert "files/uploads/evidence.bin" in names

    _imvo(["restore", str(archive)], target)
    before, after = _counts(source), _counts(target)
    assert before == after
    assert before["covenants.Covenant"] >= 10
    assert (target / "media" / "uploads" / "evidence.bin").read_bytes() == stored.read_bytes()

    # Restoring over data is refused unless forced; a damaged archive is refused.
    r = _imvo(["restore", str(archive)], target, check=False)
    assert r.returncode != 0 and "already holds data" in r.stderr
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(archive.read_bytes()[:2000])
    r = _imvo(["restore", str(damaged), "--force"], tmp_path / "third", check=False)
    assert r.returncode != 0 and "Traceback" not in r.stderr
