"""Back up a populated install and restore it into an empty one (real processes, real files).

The source install holds every class of stored file (supplier lists, complaint
evidence, due-diligence evidence, learning attachments), a TOTP device and a
published report; the restore must reproduce all of them, verified.
"""

import json
import os
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

IMVO = [sys.executable, "-m", "imvo.cli"]

# Run inside the source install: one stored file of every class the registry knows,
# a complaint with evidence, a confirmed TOTP device.
POPULATE = r"""
import io, pathlib
from PIL import Image
from django.core.files.base import ContentFile
from imvo.accounts import two_factor
from imvo.accounts.models import User
from imvo.complaints.services import filing
from imvo.covenants.models import Covenant
from imvo.core import storage
from imvo.core.storage import unregistered_files

png = io.BytesIO(); Image.new("RGB", (40, 30), (200, 20, 20)).save(png, "PNG")
cov = Covenant.objects.get(slug="garment-textile")
filed = filing.check_file_complaint(covenant=cov, description="Wages were withheld for three months.",
    anonymous=False, name="R. Begum", contact="+880 1711 000000",
    files=[("photo.png", png.getvalue())])
user = User.objects.get(username="secretariat")
device = two_factor.start_setup(user); device.confirmed = True; device.save()
from imvo.reporting.models import PublishedReport
assert PublishedReport.objects.exists(), "the demo publishes a report"
for loc in storage.locations():
    if not any(loc.files()):
        p = loc.root / "made-by-test" / f"{loc.name}.bin"
        p.parent.mkdir(parents=True, exist_ok=True); p.write_bytes(loc.name.encode() * 100)
assert not unregistered_files(), unregistered_files()
print("evidence", filed.complaint.evidence.count())
"""


def _env(var: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "IMVO_COMPLAINTS_KEY_FILE"}
    }
    env.update(IMVO_VAR_DIR=str(var), IMVO_TESTING="1", DEBUG="1")
    return env


def _imvo(args: list[str], var: Path, check: bool = True) -> subprocess.CompletedProcess:
    r = subprocess.run(
        IMVO + args, env=_env(var), capture_output=True, text=True, timeout=300, check=False
    )
    if check:
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    return r


def _python(var: Path, code: str) -> str:
    env = _env(var) | {"DJANGO_SETTINGS_MODULE": "imvo.settings"}
    r = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout


def _state(var: Path) -> dict:
    code = (
        "import json\n"
        "from imvo.core.backup import model_counts, fingerprints\n"
        "from imvo.core import storage\n"
        "from imvo.core.backup import _sha256\n"
        "files = {f'{l.name}/{r}': _sha256(p) for l in storage.locations() for r, p in l.files()}\n"
        "print(json.dumps({'counts': model_counts(), 'fp': fingerprints(), 'files': files}))"
    )
    return json.loads(_python(var, code).strip().splitlines()[-1])


@pytest.mark.slow
def test_backup_restores_into_an_empty_install_identically(tmp_path):
    source, target = tmp_path / "source", tmp_path / "target"
    _imvo(["demo", "--no-serve"], source)
    assert "evidence 1" in _python(source, POPULATE)
    archive = tmp_path / "backup.tar.gz"
    _imvo(["backup", "--out", str(archive), "--include-keys"], source)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names
    assert any(n.startswith("files/complaint-evidence/") for n in names)
    before = _state(source)
    assert before["fp"]["complaints"] and before["fp"]["totp-secrets"]
    assert before["fp"]["published-reports"]
    assert {n.split("/")[0] for n in before["files"]} >= {
        "complaint-evidence",
        "supplier-lists",
        "due-diligence-evidence",
        "learning",
    }

    r = _imvo(["restore", str(archive)], target)
    assert "verified" in r.stdout
    after = _state(target)
    assert after == before
    assert before["counts"]["covenants.Covenant"] >= 10
    assert before["counts"]["accounts.SealedTOTPDevice"] == 1

    # Restoring over data is refused unless forced; a damaged archive is refused.
    r = _imvo(["restore", str(archive)], target, check=False)
    assert r.returncode != 0 and "already holds data" in r.stderr
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(archive.read_bytes()[:2000])
    r = _imvo(["restore", str(damaged), "--force"], tmp_path / "third", check=False)
    assert r.returncode != 0 and "Traceback" not in r.stderr

    # Without the keys the data is there but cannot be read: the restore says so.
    no_keys = tmp_path / "no-keys.tar.gz"
    _imvo(["backup", "--out", str(no_keys)], source)
    r = _imvo(["restore", str(no_keys)], tmp_path / "fourth", check=False)
    assert r.returncode != 0, r.stdout
    assert "complaints: cannot be read" in r.stderr and "var/keys" in r.stderr
    assert "Traceback" not in r.stderr
