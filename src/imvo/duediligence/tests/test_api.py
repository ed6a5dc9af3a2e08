"""The JSON API is scoped like the pages."""

from __future__ import annotations

import pytest

from imvo.accounts.models import ApiToken
from imvo.duediligence.services import frameworks, submissions

from .helpers import GARMENT_ANSWERS

pytestmark = pytest.mark.django_db


def _auth(user) -> dict[str, str]:
    _, raw = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_member_answers_and_submits_through_the_api(client, world) -> None:
    frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "garment")
    sub = submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    url = f"/api/due-diligence/submissions/{sub.pk}/answers"
    bad = client.post(
        url,
        {"answers": [{"question": "nope", "value": "yes"}]},
        content_type="application/json",
        **_auth(world.member_a),
    )
    assert bad.status_code == 400 and "nope" in bad.json()["detail"]
    body = {
        "answers": [{"question": k, "value": v} for k, v in GARMENT_ANSWERS.items()],
        "submit": True,
    }
    r = client.post(url, body, content_type="application/json", **_auth(world.member_a))
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "submitted"
    assert r.json()["self_score"] == "65.71"
    # Another member: 404 on read, write and list.
    other = _auth(world.member_b)
    assert client.get(f"/api/due-diligence/submissions/{sub.pk}", **other).status_code == 404
    assert client.post(url, body, content_type="application/json", **other).status_code == 404
    assert client.get("/api/due-diligence/submissions", **other).json() == []
    # The covenant's secretariat sees it, another secretariat does not.
    sec = client.get(
        "/api/due-diligence/submissions?covenant=covenant-x", **_auth(world.secretariat_x)
    ).json()
    assert [s["id"] for s in sec] == [sub.pk]
    assert (
        client.get(
            "/api/due-diligence/covenants/covenant-x/figures", **_auth(world.secretariat_y)
        ).status_code
        == 404
    )
    fig = client.get(
        "/api/due-diligence/covenants/covenant-x/figures", **_auth(world.secretariat_x)
    ).json()
    assert fig["years"][0]["submitted"] == 1


def test_api_needs_a_token(client) -> None:
    assert client.get("/api/due-diligence/submissions").status_code == 401
