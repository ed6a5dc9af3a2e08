"""A number read from a form is a whole number in ASCII digits, or it is not given.

`str.isdigit()` accepts "²" (and `int("²")` raises) and a 25-digit id overflows the
database's integer: each of these posts answered 500 before `core.text.whole_number`
read the value. Signed-in pages only; the public ones are tested in their apps.
"""

from __future__ import annotations

from typing import Any

import pytest

from imvo.testing import client_for
from imvo.tests.test_access_matrix import matrix_world  # noqa: F401  (the fixture)

ODD_NUMBERS = ["\u00b2", "9" * 25, "-1", " 7"]


def _posts(w: Any, objs: dict[str, Any], odd: str) -> list[tuple[Any, str, dict[str, Any]]]:
    slug = w.covenant_x.slug
    case = f"/complaints/cases/{objs['complaint']}/"
    return [
        (w.member_a, f"/due-diligence/c/{slug}/start/", {"year": odd}),
        (
            w.member_a,
            f"/regulation/c/{slug}/engagement/",
            {
                "date": "2026-03-01",
                "kind": "consultation",
                "stakeholder": "Workers' committee",
                "topic": "Wages",
                "named": odd,
                "risks": [odd],
                "actions": [odd],
            },
        ),
        (w.member_a, f"/supply-chain/matches/{objs['match']}/decide/", {"action": "other", "facility": odd}),
        (w.secretariat_x, case, {"action": "share", "summary": "Summary", "evidence": [odd]}),
        (w.secretariat_x, case, {"action": "translate", "message": odd, "text": "Vertaling"}),
        (w.secretariat_x, case, {"action": "follow_up", "check": odd, "note": "Visited"}),
        (w.secretariat_x, f"/complaints/committee/{slug}/", {"action": "limits", "acknowledge_days": odd}),
    ]  # fmt: skip


@pytest.mark.parametrize("odd", ODD_NUMBERS)
def test_an_odd_number_in_a_form_is_refused_not_a_server_error(matrix_world, odd):  # noqa: F811
    w, objs = matrix_world
    for user, url, body in _posts(w, objs, odd):
        # The test client re-raises a view's exception: a 500 fails here with its trace.
        r = client_for(user, "en").post(url, body)
        assert r.status_code in (200, 302, 400, 403, 404), (url, body, r.status_code)


def test_a_time_limit_that_is_no_whole_number_is_named_and_nothing_changes(matrix_world):  # noqa: F811
    from imvo.complaints.services.deadlines import procedure_for

    w, _objs = matrix_world
    before = procedure_for(w.covenant_x).acknowledge_days
    r = client_for(w.secretariat_x, "en").post(
        f"/complaints/committee/{w.covenant_x.slug}/",
        {"action": "limits", "acknowledge_days": "\u00b2"},
    )
    assert r.status_code == 200
    assert "give a number of days from 1 to 3650" in r.content.decode()
    assert procedure_for(w.covenant_x).acknowledge_days == before
