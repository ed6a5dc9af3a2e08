"""The complaints key file: private to the platform, and the wrong key reads nothing."""

import os
import stat

import pytest

from imvo.complaints import crypto
from imvo.complaints.models import Complaint
from imvo.complaints.tests.helpers import SECRET_TEXT, file


def test_key_file_created_0600_and_wrong_key_refuses(world, tmp_path, monkeypatch):
    file(world, text=SECRET_TEXT)
    mode = stat.S_IMODE(os.stat(crypto.key_file()).st_mode)
    assert mode == 0o600
    assert stat.S_IMODE(os.stat(crypto.key_file().parent).st_mode) == 0o700
    monkeypatch.setenv("IMVO_COMPLAINTS_KEY_FILE", str(tmp_path / "other.key"))
    crypto.forget_keys()
    with pytest.raises(crypto.KeyError_):
        _ = Complaint.objects.get().description
