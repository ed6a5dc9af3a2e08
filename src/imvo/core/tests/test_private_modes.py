"""Complaint evidence stored before files were kept owner-only (0644 files, 0755
folders) is closed by the next `migrate` (which `imvo serve` runs at every
start and every upgrade runs), not only by a restore: before, such a file
stayed readable by every account on the machine that reached its folder."""

import os
import stat

import pytest
from django.core.management import call_command

from imvo.core import storage

pytestmark = pytest.mark.django_db


def _mode(p) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_migrate_closes_evidence_kept_open_before(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    root = storage.location("complaint-evidence").root
    old_umask = os.umask(0o022)  # how the files were written before
    try:
        (root / "2025").mkdir(parents=True)
        old = root / "2025" / "evidence-1.bin"
        old.write_bytes(b"sealed evidence")
        (root / "loose.bin").write_bytes(b"sealed too")
    finally:
        os.umask(old_umask)
    root.chmod(0o755)
    assert _mode(old) == 0o644 and _mode(root / "2025") == 0o755

    call_command("migrate", verbosity=0, interactive=False)

    assert _mode(root) == 0o700 and _mode(root / "2025") == 0o700
    assert _mode(old) == 0o600 and _mode(root / "loose.bin") == 0o600
    assert old.read_bytes() == b"sealed evidence"  # modes only; nothing else touched
    # Closed already: the next start changes nothing.
    assert storage.close_private_locations() == 0


def test_a_link_in_the_evidence_folder_is_not_followed(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    root = storage.location("complaint-evidence").root
    root.mkdir(parents=True)
    outside = tmp_path / "someone-elses.txt"
    outside.write_bytes(b"not ours")
    outside.chmod(0o644)
    (root / "link").symlink_to(outside)
    storage.close_private_locations()
    assert _mode(outside) == 0o644


def test_an_install_without_evidence_gets_no_folder(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    assert storage.close_private_locations() == 0
    assert not storage.location("complaint-evidence").root.exists()
