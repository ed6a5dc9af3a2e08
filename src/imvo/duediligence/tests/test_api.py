"""The JSON API is scoped like the pages."""

from __future__ import annotations

from decimal import Decimal

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


def test_api_answers_in_the_request_language(client, world) -> None:
    """A ready-made framework's name and element titles come in the language of
    Accept-Language, as on the pages; the secretariat's own element as written."""
    fw = frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "garment")
    frameworks.check_add_element(world.secretariat_x, fw, "Living wage roadmap", 3, Decimal(5))
    sub = submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    auth = _auth(world.member_a)
    url = f"/api/due-diligence/submissions/{sub.pk}"
    nl = client.get(url, HTTP_ACCEPT_LANGUAGE="nl", **auth).json()
    assert nl["framework"] == "Toetsingskader kleding en textiel"
    titles = [e["title"] for e in nl["elements"]]
    assert "Risicoanalyse: inventarisatie en prioritering" in titles
    assert "Living wage roadmap" in titles
    listed = client.get("/api/due-diligence/submissions", HTTP_ACCEPT_LANGUAGE="nl", **auth)
    assert listed.json()[0]["framework"] == "Toetsingskader kleding en textiel"
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en", **auth).json()
    assert en["framework"] == "Garment and textile assessment framework"
    assert "Risk analysis: inventory and prioritisation" in [e["title"] for e in en["elements"]]
    # Errors too: what a Dutch reader of the API gets for a submission not theirs.
    other = client.get(url, HTTP_ACCEPT_LANGUAGE="nl", **_auth(world.member_b))
    assert other.status_code == 404
    assert other.json()["detail"] == "Deze inzending bestaat niet of u mag haar niet inzien."
