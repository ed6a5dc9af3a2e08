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
from typing import Any

import pytest

from imvo.core.tests.serving import python

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
filed = filing.check_file_complaint(filing.NewComplaint(covenant=cov,
    description="Wages were withheld for three months.", anonymous=False, name="R. Begum",
    contact="+880 1711 000000", files=[("photo.png", png.getvalue())]))
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


# var folder -> DATABASE_URL of its install (PostgreSQL runs); SQLite otherwise.
DATABASES: dict[str, str] = {}


def _env(var: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "IMVO_COMPLAINTS_KEY_FILE",
            "IMVO_BACKUP_PASSPHRASE",
        }
    }
    env.update(IMVO_VAR_DIR=str(var), IMVO_TESTING="1", DEBUG="1")
    if str(var) in DATABASES:
        env["DATABASE_URL"] = DATABASES[str(var)]
    return env


def _imvo(
    args: list[str], var: Path, check: bool = True, **extra: str
) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(
        IMVO + args,
        env=_env(var) | extra,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if check:
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    return r


def _python(var: Path, code: str) -> str:
    env = _env(var) | {"DJANGO_SETTINGS_MODULE": "imvo.settings"}
    r = python("import django; django.setup()\n" + code, env, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout


def _state(var: Path) -> dict[str, Any]:
    code = (
        "import json\n"
        "from imvo.core.backup import model_counts, fingerprints\n"
        "from imvo.core import storage\n"
        "from imvo.core.backup import _sha256\n"
        "files = {f'{l.name}/{r}': _sha256(p) for l in storage.locations() for r, p in l.files()}\n"
        "print(json.dumps({'counts': model_counts(), 'fp': fingerprints(), 'files': files}))"
    )
    state: dict[str, Any] = json.loads(_python(var, code).strip().splitlines()[-1])
    return state


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    """SQLite always; PostgreSQL when the suite runs on it (two fresh databases)."""
    if request.param == "sqlite":
        yield "sqlite"
        return
    url = _postgres_url()
    if url is None:
        pytest.skip("PostgreSQL: run the suite with DATABASE_URL=postgres://...")
    import psycopg

    base = url.rsplit("/", 1)[0]
    prefix = os.environ.get("IMVO_TEST_DB_NAME", "test_imvo")
    names = [f"{prefix}_backup_source", f"{prefix}_backup_target"]
    with psycopg.connect(base + "/postgres", autocommit=True) as con:
        for name in names:
            con.execute(f'DROP DATABASE IF EXISTS "{name}"')
            con.execute(f'CREATE DATABASE "{name}"')
    DATABASES[str(tmp_path / "source")] = f"{base}/{names[0]}"
    DATABASES[str(tmp_path / "target")] = f"{base}/{names[1]}"
    yield "postgresql"
    DATABASES.clear()
    with psycopg.connect(base + "/postgres", autocommit=True) as con:
        for name in names:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_backup_restores_into_an_empty_install_identically(tmp_path, engine):
    source, target = tmp_path / "source", tmp_path / "target"
    _imvo(["demo", "--no-serve", "--yes"], source)
    assert "evidence 1" in _python(source, POPULATE)
    archive = tmp_path / "backup.tar"
    _imvo(["backup", "--out", str(archive), "--include-keys"], source)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names
    assert ("database.pgdump" if engine == "postgresql" else "database.sqlite3") in names
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

    old_umask = os.umask(0)  # a restore under a umask that opens everything
    try:
        r = _imvo(["restore", str(archive)], target)
    finally:
        os.umask(old_umask)
    assert "verified" in r.stdout
    # Complaint evidence (a private location) is the owner's alone in the source
    # and comes back so: folders 0700, files 0600, and readable (`after == before`
    # below compares their checksums and the decrypted samples).
    for var in (source, target):
        folder = var / "complaints" / "evidence"
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, var
        modes = {stat.S_IMODE(p.stat().st_mode) for p in folder.rglob("*") if p.is_file()}
        assert modes == {0o600}, (var, modes)
    # The keys come back readable by the owner only, as they were (tar's data
    # filter dropped the folder's mode and the restore left it 0755).
    assert stat.S_IMODE((target / "keys").stat().st_mode) == 0o700
    assert {stat.S_IMODE(k.stat().st_mode) for k in (target / "keys").iterdir()} == {0o600}
    after = _state(target)
    assert after == before
    assert before["counts"]["covenants.Covenant"] >= 10
    assert before["counts"]["accounts.SealedTOTPDevice"] == 1

    if engine == "postgresql":
        return  # the refusals below do not depend on the engine
    # Restoring over data is refused unless forced; a damaged archive is refused.
    r = _imvo(["restore", str(archive)], target, check=False)
    assert r.returncode != 0 and "already holds data" in r.stderr
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(archive.read_bytes()[:2000])
    r = _imvo(["restore", str(damaged), "--force"], tmp_path / "third", check=False)
    assert r.returncode != 0 and "Traceback" not in r.stderr

    # Without the keys the data is there but cannot be read: the restore says so.
    no_keys = tmp_path / "no-keys.tar"
    _imvo(["backup", "--out", str(no_keys)], source)
    r = _imvo(["restore", str(no_keys)], tmp_path / "fourth", check=False)
    assert r.returncode != 0, r.stdout
    assert "complaints: cannot be read" in r.stderr and "var/keys" in r.stderr
    assert "Traceback" not in r.stderr
    # The failed check made no key of its own (new complaints sealed with one
    # would be lost when the old keys are copied in); what the message says works:
    # copy the old key folder, run the same restore again with --force.
    fourth = tmp_path / "fourth"
    assert not list((fourth / "keys").glob("*.key"))
    assert "--force" in r.stderr
    (fourth / "keys").mkdir(exist_ok=True)
    for key in (source / "keys").iterdir():
        (fourth / "keys" / key.name).write_bytes(key.read_bytes())
    r = _imvo(["restore", str(no_keys), "--force"], fourth)
    assert "verified" in r.stdout
    assert _state(fourth) == _state(source)


@pytest.mark.slow
def test_an_encrypted_backup_needs_its_passphrase(tmp_path):
    source = tmp_path / "source"
    _imvo(["migrate"], source)
    _python(
        source,
        POPULATE.split("from imvo.reporting.models")[0].replace(
            'cov = Covenant.objects.get(slug="garment-textile")',
            "from imvo.testing import make_covenant\nfrom imvo.accounts.testing import make_user\n"
            "cov = make_covenant('garment-textile'); make_user('secretariat')",
        ),
    )
    archive = tmp_path / "secret.tar.enc"
    phrase = tmp_path / "phrase.txt"
    phrase.write_text("correct horse battery staple\n")
    r = _imvo(["backup", "--out", str(archive), "--include-keys", "--encrypt"], source, check=False)
    assert r.returncode != 0 and "IMVO_BACKUP_PASSPHRASE" in r.stderr
    _imvo(
        [
            "backup",
            "--out",
            str(archive),
            "--include-keys",
            "--encrypt",
            "--passphrase-file",
            str(phrase),
        ],
        source,
    )
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    blob = archive.read_bytes()
    assert b"manifest.json" not in blob and b"Wages were withheld" not in blob
    r = _imvo(["restore", str(archive)], tmp_path / "a", check=False)
    assert r.returncode != 0 and "encrypted" in r.stderr
    r = _imvo(
        ["restore", str(archive)], tmp_path / "b", check=False, IMVO_BACKUP_PASSPHRASE="wrong"
    )
    assert r.returncode != 0 and "Wrong passphrase" in r.stderr and "Traceback" not in r.stderr
    cut = tmp_path / "cut.tar.enc"
    cut.write_bytes(blob[: len(blob) - 100])
    r = _imvo(["restore", str(cut), "--passphrase-file", str(phrase)], tmp_path / "c", check=False)
    assert r.returncode != 0 and "Traceback" not in r.stderr
    r = _imvo(["restore", str(archive), "--passphrase-file", str(phrase)], tmp_path / "d")
    assert "verified" in r.stdout
    assert _state(tmp_path / "d") == _state(source)


def test_sample_spreads_evenly_with_first_and_last():
    from imvo.core.backup import sample

    assert sample([1, 2, 3], n=5) == [1, 2, 3]
    assert sample(list(range(100)), n=5) == [0, 25, 50, 74, 99]


@pytest.mark.django_db
def test_sample_rows_reads_the_sampled_rows_of_a_queryset():
    from imvo.core.backup import sample_rows
    from imvo.core.models import WorkerHeartbeat

    made = [WorkerHeartbeat.objects.create(note=str(i)) for i in range(40)]
    rows = sample_rows(WorkerHeartbeat.objects.all(), n=5)
    assert sorted(r.pk for r in rows) == [made[i].pk for i in (0, 10, 20, 29, 39)]
    assert list(sample_rows(WorkerHeartbeat.objects.filter(note="7"))) == [made[7]]
