"""The value-chain cap: beyond-VSME questions marked for small suppliers, declines free."""

from __future__ import annotations

import pytest
from django.test import Client

from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.duediligence.tests.helpers import garment_setup
from imvo.regulation.services import mapping, suppliers


def test_small_supplier_sees_beyond_vsme_marked_and_may_decline_without_penalty(world) -> None:
    garment_setup(world)
    req = suppliers.check_create(world.member_a, world.covenant_x, "Dhaka Knit", "850")
    marked = {q["key"] for q in req.questions if q["beyond_vsme"]}
    # The mapping marks policy, supplier code, grievance as within VSME: those may be required.
    assert {"policy-adopted", "supplier-code", "grievance"}.isdisjoint(marked)
    assert {"beyond-tier1", "purchasing", "prioritised"} <= marked
    answers = {"policy-adopted": "Yes, 2024", "supplier-code": "Yes", "grievance": "Hotline"}
    suppliers.check_answer(req, answers, declined=set(marked))
    c = suppliers.completeness(req)
    assert (c.required, c.answered, c.declined, c.percent) == (3, 3, len(marked), 100)
    assert req.responses["purchasing"] == {"declined": True}


def test_a_question_within_vsme_cannot_be_declined(world) -> None:
    garment_setup(world)
    req = suppliers.check_create(world.member_a, world.covenant_x, "Dhaka Knit", 850)
    with pytest.raises(DomainError, match="policy-adopted is within the VSME standard"):
        suppliers.check_answer(req, {}, declined={"policy-adopted"})


def test_a_large_supplier_is_not_under_the_cap(world) -> None:
    garment_setup(world)
    req = suppliers.check_create(world.member_a, world.covenant_x, "Big Mill", 1001)
    assert not any(q["beyond_vsme"] for q in req.questions)
    with pytest.raises(DomainError, match="cannot be declined"):
        suppliers.check_answer(req, {}, declined={"purchasing"})


def test_the_secretariats_mapping_decides_what_is_within_vsme(world) -> None:
    garment_setup(world)
    mapping.check_set_row(world.secretariat_x, world.covenant_x, "question:purchasing",
                          label="", articles="10", esrs="S2-4", oecd_step=3, vsme=True)  # fmt: skip
    req = suppliers.check_create(world.member_a, world.covenant_x, "Dhaka Knit", 20)
    assert not next(q for q in req.questions if q["key"] == "purchasing")["beyond_vsme"]


@pytest.mark.parametrize("supplier, employees, message", [
    ("", 5, "Name the supplier"), ("X", "many", "whole number"), ("X", 0, "at least one"),
])  # fmt: skip
def test_a_request_needs_a_supplier_and_its_size(world, supplier, employees, message) -> None:
    garment_setup(world)
    with pytest.raises(DomainError, match=message):
        suppliers.check_create(world.member_a, world.covenant_x, supplier, employees)


def test_only_an_active_member_asks(world) -> None:
    garment_setup(world)
    with pytest.raises(PermissionDeniedError):
        suppliers.check_create(world.member_c, world.covenant_x, "X", 5)


def test_the_supplier_answers_through_its_link_once(world) -> None:
    garment_setup(world)
    req = suppliers.check_create(world.member_a, world.covenant_x, "Dhaka Knit", 120)
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = c.get(f"/regulation/supplier/{req.token}/").content.decode()
    assert "beyond VSME: you may decline" in page and "Company A" in page
    # The ready-made framework's questions in the supplier's language, as elsewhere.
    dutch = Client(HTTP_ACCEPT_LANGUAGE="nl").get(f"/regulation/supplier/{req.token}/")
    assert "Heeft u al uw productielocaties in tier 1 in kaart gebracht?" in dutch.content.decode()
    r = c.post(f"/regulation/supplier/{req.token}/",
               {"a-policy-adopted": "Yes", "decline-purchasing": "on"})  # fmt: skip
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.answered and req.responses == {
        "policy-adopted": {"answer": "Yes"}, "purchasing": {"declined": True}}  # fmt: skip
    assert "Answered on" in c.get(f"/regulation/supplier/{req.token}/").content.decode()
    assert c.get("/regulation/supplier/not-a-token/").status_code == 404
