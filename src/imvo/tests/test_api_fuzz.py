"""Fuzz the whole JSON API from its OpenAPI document with schemathesis, against a
running server: no input may produce a 500 answer."""

import subprocess
import sys
from pathlib import Path

import pytest

from imvo.accounts.models import ApiToken
from imvo.testing import build_world, make_agreement

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))


def _fuzz(url: str, token: str | None, seed: int) -> subprocess.CompletedProcess[str]:
    args = [
        SCHEMATHESIS, "run", f"{url}/api/openapi.json",
        "--checks", "not_a_server_error",
        "--max-examples", "12",
        "--seed", str(seed),
        "--generation-database", "none",
        "--request-timeout", "20",
        "--workers", "1",
        "--phases", "examples,coverage,fuzzing",
    ]  # fmt: skip
    if token:
        args += ["-H", f"Authorization: Bearer {token}"]
    return subprocess.run(args, capture_output=True, text=True, timeout=900, check=False)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["anonymous", "member_a", "secretariat_x"])
def test_no_api_input_makes_the_server_fail(live_server, who):
    world = build_world()
    make_agreement(world.covenant_x)
    token = None
    if who != "anonymous":
        _, token = ApiToken.issue(getattr(world, who))
    r = _fuzz(live_server.url, token, seed=20261129)
    assert r.returncode == 0, r.stdout[-6000:]
    assert "passed" in r.stdout
