"""Numbers and bodies of the supplier-list API that no client should send get a
clear answer, not a 500 (found by schemathesis against the demo)."""

from __future__ import annotations

import pytest
from django.test import Client

from imvo.accounts.models import ApiToken
from imvo.supplychain.models import SupplierList
from imvo.supplychain.tests.helpers import factory_of_a_and_b_made_public

pytestmark = pytest.mark.django_db


def _member_a_client(world) -> Client:
    _, token = ApiToken.issue(world.member_a)
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_an_offset_past_every_list_reads_nothing_instead_of_failing(world) -> None:
    factory_of_a_and_b_made_public(world)
    sl = SupplierList.objects.filter(organisation=world.company_a).first()
    assert sl is not None
    c = _member_a_client(world)
    for offset in ("224367922554119323648", str(2**63), "100001"):
        r = c.get(f"/api/supplier-lists/{sl.pk}/rows?offset={offset}&limit=4747")
        assert r.status_code == 200 and r.json() == [], offset
    assert c.get(f"/api/supplier-lists/{sl.pk}/rows?offset=0").json()


def test_a_multipart_upload_without_a_boundary_says_what_is_missing(world) -> None:
    r = _member_a_client(world).post("/api/supplier-lists", b"", content_type="multipart/form-data")
    assert r.status_code == 422
    assert {e["loc"][-1] for e in r.json()["detail"]} >= {"covenant", "year", "file"}
