"""The worked example of docs/channels.md runs: its curl commands through the test client,
its Python example against a live server. When the API changes, the doc fails here."""

from __future__ import annotations

import json
import re
import runpy
import shlex
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from imvo.accounts.models import ApiToken
from imvo.accounts.testing import make_user
from imvo.testing import make_covenant

DOCS = Path(__file__).resolve().parents[3] / "docs"
CHANNELS = DOCS / "channels.md"
EXAMPLE_RECEIPT = "0NH4-EWJZ-4Y7W-DAR0-TKCV"


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", CHANNELS.read_text(encoding="utf-8"), re.S)


def curl_requests() -> list[dict[str, Any]]:
    """Each curl command of the doc as method, path, headers and JSON body."""
    out = []
    for block in blocks("bash"):
        text = block.replace("\\\n", " ")
        for line in text.splitlines():
            if not line.strip().startswith("curl"):
                continue
            args = shlex.split(line)
            req: dict[str, Any] = {"method": "GET", "headers": {}, "body": None}
            i = 1
            while i < len(args):
                a = args[i]
                if a == "-X":
                    req["method"], i = args[i + 1], i + 2
                elif a == "-H":
                    name, _, value = args[i + 1].partition(": ")
                    req["headers"][name] = value
                    i += 2
                elif a == "-d":
                    req["body"], i = json.loads(args[i + 1]), i + 2
                elif a.startswith("http"):
                    req["path"], i = re.sub(r"^https?://[^/]+", "", a), i + 1
                else:
                    i += 1
            out.append(req)
    return out


def shown_responses() -> list[dict[str, Any]]:
    return [json.loads(b) for b in blocks("json")]


@pytest.fixture
def garment(db):
    cache.clear()  # rate-limit counters of other tests
    make_covenant(slug="garment-textile")
    _, raw = ApiToken.issue(make_user("union_app"), "FNV worker app")
    return raw


@pytest.mark.skipif(not CHANNELS.exists(), reason="docs/channels.md is not in this checkout")
def test_curl_examples_of_the_channels_doc_work(client, garment):
    requests = curl_requests()
    shown = shown_responses()
    assert [r["method"] for r in requests] == ["POST", "GET", "GET"]
    receipt = None
    for req, expected in zip(requests, shown, strict=True):
        headers = {}
        for name, value in req["headers"].items():
            value = value.replace("$TOKEN", garment)
            if name == "X-Receipt" and value == EXAMPLE_RECEIPT:
                value = receipt  # the code this run's POST answered
            if name != "Content-Type":
                headers["HTTP_" + name.upper().replace("-", "_")] = value
        if req["method"] == "POST":
            r = client.post(
                req["path"], json.dumps(req["body"]), content_type="application/json", **headers
            )
            assert r.status_code == 201, r.content
            receipt = r.json()["receipt"]
            assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", receipt)
        else:
            r = client.get(req["path"], **headers)
        body = r.json()
        # The doc shows the same fields the API answers, and the same words where they
        # do not depend on the day (state, labels in the worker's language, errors).
        assert set(body) == set(expected), (req["path"], body)
        for key in ("state", "state_label", "next_step", "detail", "decision", "messages"):
            if key in expected:
                assert body[key] == expected[key], (key, body[key])


@pytest.mark.skipif(not CHANNELS.exists(), reason="docs/channels.md is not in this checkout")
@pytest.mark.django_db(transaction=True)
def test_python_example_of_the_channels_doc_runs(live_server, monkeypatch, capsys):
    cache.clear()
    make_covenant(slug="garment-textile")
    _, raw = ApiToken.issue(make_user("union_app"), "FNV worker app")
    monkeypatch.setenv("IMVO_URL", live_server.url)
    monkeypatch.setenv("IMVO_TOKEN", raw)
    runpy.run_path(str(DOCS / "examples" / "file_complaint.py"), run_name="__main__")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("201 {'receipt': ")
    assert lines[1].startswith(
        "200 received Received | The secretariat confirms that your complaint was received."
    )
