"""Every `imvo` command says what it does, and the offline tools work, with nothing configured."""

import subprocess
import sys

import pytest

from imvo.cli import COMMANDS

IMVO = [sys.executable, "-m", "imvo.cli"]
BARE_ENV_KEEP = {"PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV"}


def _bare_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k in BARE_ENV_KEEP}


def _run(args: list[str], cwd, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        IMVO + args,
        cwd=cwd,
        env=_bare_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("command", [c for c, _ in COMMANDS])
def test_help_works_before_configuration(command, tmp_path):
    r = _run([command, "--help"], tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "usage:" in r.stdout and "SECRET_KEY" not in r.stderr


def test_top_level_help_lists_every_command(tmp_path):
    r = _run(["--help"], tmp_path)
    assert r.returncode == 0
    for command, _ in COMMANDS:
        assert command in r.stdout


@pytest.mark.slow
def test_scan_and_match_run_with_nothing_configured(tmp_path):
    (tmp_path / "list.csv").write_text(
        "name,address,country\nRahim Knit Ltd,Plot 12 BSCIC Narayanganj,BD\n"
        "Anand Spinning Mills,Tiruppur,IN\n"
    )
    (tmp_path / "registry.csv").write_text(
        "id,name,address,country\nF1,Rahim Knitting Limited,Plot 12 BSCIC Narayanganj,BD\n"
    )
    r = _run(["scan", "list.csv", "--format", "csv"], tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "Rahim Knit" in r.stdout
    r = _run(["match", "list.csv", "--registry", "registry.csv", "--out", "out.csv"], tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (tmp_path / "out.csv").read_text().count("\n") >= 3


def test_the_configuration_error_names_the_commands_that_fix_it(tmp_path):
    r = _run(["check"], tmp_path)
    assert r.returncode == 2
    assert "SECRET_KEY is not set" in r.stderr
    assert "imvo serve --demo" in r.stderr and "imvo demo" in r.stderr
    assert "Traceback" not in r.stderr
