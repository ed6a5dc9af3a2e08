"""The `imvo duediligence` command applies the same permission checks."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_install_export_figures(world, tmp_path, capsys) -> None:
    with pytest.raises(CommandError, match="Only the covenant's secretariat"):
        call_command("duediligence", "install", "covenant-x", "garment", "--as", "secretariat_y")
    with pytest.raises(CommandError, match="Unknown framework template"):
        call_command("duediligence", "install", "covenant-x", "nope", "--as", "secretariat_x")
    call_command("duediligence", "install", "covenant-x", "maturity", "--as", "secretariat_x")
    from imvo.duediligence.services import submissions

    submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    out = tmp_path / "x.csv"
    call_command("duediligence", "export", "covenant-x", "--as", "secretariat_x", "-o", str(out))
    assert "Company A" in out.read_text(encoding="utf-8-sig")
    with pytest.raises(CommandError):
        call_command("duediligence", "export", "covenant-x", "--as", "member_a", "-o", str(out))
    capsys.readouterr()
    call_command("duediligence", "figures", "covenant-x")
    assert json.loads(capsys.readouterr().out)["years"][0]["year"] == 2025
    with pytest.raises(CommandError, match="No covenant"):
        call_command("duediligence", "figures", "nowhere")
