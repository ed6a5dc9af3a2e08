"""Which API tokens file complaints under the partner gateway's limit
(PARTNER_SUBMIT_LIMIT per token and hour) and which count as anyone from their
address (SUBMIT_LIMIT per address). A gateway takes complaints for many workers:
a trade union's or NGO's app, the covenant secretariat's hotline. Before, any
valid token got the gateway's limit: a member company's token could file 500
complaints an hour (docs/security.md, R4)."""

import pytest

from imvo.accounts.models import ApiToken
from imvo.accounts.testing import make_user
from imvo.complaints import limits
from imvo.testing import make_org

BODY = {"covenant": "covenant-x", "description": "Worker by SMS: no pay slip."}


@pytest.fixture(autouse=True)
def few_filings(monkeypatch):
    monkeypatch.setattr(limits, "SUBMIT_LIMIT", 2)


def _file(client, raw: str | None = None) -> int:
    headers = {"Authorization": f"Bearer {raw}"} if raw else {}
    r = client.post("/api/complaints", BODY, content_type="application/json", headers=headers)
    return int(r.status_code)


def _token(user) -> str:
    return ApiToken.issue(user, "gateway")[1]


def _flood_the_address(client) -> None:
    assert [_file(client) for _ in range(3)] == [201, 201, 429]


@pytest.mark.parametrize("kind", ["union", "ngo"])
def test_a_union_or_ngo_token_is_a_gateway(client, world, kind):
    raw = _token(make_user(f"{kind}_app", make_org(f"A {kind}", type=kind)))
    _flood_the_address(client)
    # The address is spent; the gateway's token has its own, higher limit.
    assert [_file(client, raw) for _ in range(3)] == [201, 201, 201]


def test_the_covenants_secretariat_runs_a_hotline(client, world):
    raw = _token(world.secretariat_x)
    _flood_the_address(client)
    assert _file(client, raw) == 201


@pytest.mark.parametrize(
    "who", ["member_b", "secretariat_y", "committee_x", "government", "branch"]
)
def test_other_tokens_count_as_their_address(client, world, who):
    user = (
        make_user(f"{who}_user", make_org(f"A {who}", type=who))
        if who in ("government", "branch")
        else getattr(world, who)
    )
    raw = _token(user)
    # A company's token files as anyone from its address: no higher limit, and
    # not a second count of its own beside the address's.
    assert [_file(client, raw) for _ in range(2)] == [201, 201]
    assert _file(client, raw) == 429
    assert _file(client) == 429


def test_a_gateway_token_is_counted_per_token_not_per_address(client, world):
    raw = _token(make_user("union_app", make_org("A union", type="union")))
    assert [_file(client, raw) for _ in range(3)] == [201, 201, 201]
    # The anonymous filers of the same address kept their own count.
    assert [_file(client) for _ in range(3)] == [201, 201, 429]
