"""A JSON body nested deep is refused with the reason, never a 500 (docs/security.md, T41)."""

from __future__ import annotations

import pytest

from imvo.core.middleware import MAX_JSON_DEPTH


def _post(client, body: str):
    return client.post("/api/complaints", data=body, content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [100_000, 950, MAX_JSON_DEPTH + 1])
def test_a_deep_json_body_with_a_nul_is_a_400_not_a_500(client, depth: int) -> None:
    """The NUL check walked the parsed body by recursion: an anonymous POST of a
    NUL nested 950 lists deep (or a hundred thousand: the decoder itself) was a 500."""
    client.raise_request_exception = False
    for inner in ('"\\u0000"', "1"):
        r = _post(client, "[" * depth + inner + "]" * depth)
        assert r.status_code == 400
        assert r.json() == {
            "detail": f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep; "
            "no operation takes that."
        }


@pytest.mark.django_db
def test_a_shallow_body_is_still_checked_for_nul_and_passed_on(client) -> None:
    r = _post(client, '{"text": "a\\u0000b"}')
    assert r.status_code == 400 and "NUL" in r.json()["detail"]
    # Many objects side by side are not deep: the API's own validation answers.
    r = _post(client, "[" + ",".join(["{}"] * 500) + "]")
    assert r.status_code == 422
    nested = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert _post(client, nested).status_code == 422
