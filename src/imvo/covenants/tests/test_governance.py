"""Governance: bodies and seats, the equal-representation verdict, meetings, decisions, who reads what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from imvo.accounts.testing import make_user
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.services import governance
from imvo.testing import make_party

pytestmark = pytest.mark.django_db


def _parties(w):
    union = make_party(w.covenant_x, "FNV", "union")
    ngo = make_party(w.covenant_x, "Arisa", "ngo")
    gov = make_party(w.covenant_x, "BZ", "government")
    return union, ngo, gov


def test_secretariat_sets_up_a_steering_group_with_equal_seats(world):
    union, ngo, gov = _parties(world)
    sec = world.secretariat_x
    body = governance.check_create_body(sec, world.covenant_x, "Stuurgroep", "Steering group")
    governance.check_add_seat(sec, body, "independent", holder="Ms Chair", is_chair=True)
    governance.check_add_seat(sec, body, "business", world.company_a, substitute="Mr Sub")
    governance.check_add_seat(sec, body, "unions", union)
    governance.check_add_seat(sec, body, "government", gov)
    ((_, verdict),) = governance.bodies_with_verdicts(world.covenant_x)
    # The NGO party holds no seat: not equal, and the verdict says why.
    assert not verdict.equal
    assert verdict.missing == ("ngos",)
    assert any("NGOs" in r and "no seat" in r for r in verdict.reasons)
    governance.check_add_seat(sec, body, "ngos", ngo)
    ((_, verdict),) = governance.bodies_with_verdicts(world.covenant_x)
    assert verdict.equal and verdict.has_independent_chair
    assert verdict.reasons == [
        "Every constituency of the parties holds 1 seat(s) under an independent chair."
    ]


def test_a_seat_must_fit_its_constituency_and_the_covenant(world):
    union, _, _ = _parties(world)
    sec = world.secretariat_x
    body = governance.check_create_body(sec, world.covenant_x, "Stuurgroep", "Steering group")
    with pytest.raises(DomainError, match="does not sit for"):
        governance.check_add_seat(sec, body, "business", union)
    with pytest.raises(DomainError, match="not an active party"):
        governance.check_add_seat(sec, body, "business", world.company_c)  # covenant Y
    with pytest.raises(DomainError, match="independent"):
        governance.check_add_seat(sec, body, "unions", union, is_chair=True)
    governance.check_add_seat(sec, body, "independent", holder="Chair", is_chair=True)
    with pytest.raises(DomainError, match="already has a chair"):
        governance.check_add_seat(sec, body, "independent", holder="Other", is_chair=True)
    today = timezone.localdate()
    with pytest.raises(DomainError, match="end after"):
        governance.check_add_seat(sec, body, "unions", union, term_start=today, term_end=today)


def test_only_the_secretariat_of_the_covenant_sets_up_governance(world):
    with pytest.raises(PermissionDeniedError):
        governance.check_create_body(world.secretariat_y, world.covenant_x, "SG", "SG")
    with pytest.raises(PermissionDeniedError):
        governance.check_create_body(world.member_a, world.covenant_x, "SG", "SG")


def test_decisions_are_numbered_per_year_and_votes_must_carry(world):
    sec = world.secretariat_x
    body = governance.check_create_body(sec, world.covenant_x, "Stuurgroep", "Steering group")
    d1 = governance.check_record_decision(sec, body, "Eerste", "First")
    d2 = governance.check_record_decision(
        sec, body, "Tweede", "Second", mode="vote", votes_for=5, votes_against=2, abstentions=1
    )
    year = timezone.localdate().year
    assert (d1.number, d2.number) == (f"{year}-01", f"{year}-02")
    with pytest.raises(DomainError, match="not carried"):
        governance.check_record_decision(
            sec, body, "Derde", "Third", mode="vote", votes_for=2, votes_against=2
        )
    with pytest.raises(DomainError, match="consensus has no vote"):
        governance.check_record_decision(sec, body, "Vierde", "Fourth", votes_for=3)
    with pytest.raises(DomainError, match="future"):
        governance.check_record_decision(
            sec, body, "V", "F", on=timezone.localdate() + timedelta(days=1)
        )


def test_papers_minutes_and_decisions_are_read_by_role(world):
    union, _, _ = _parties(world)
    sec = world.secretariat_x
    body = governance.check_create_body(sec, world.covenant_x, "Stuurgroep", "Steering group")
    governance.check_add_seat(sec, body, "unions", union)
    union_user = make_user("fnv", union)
    meeting = governance.check_schedule_meeting(sec, body, timezone.localdate() - timedelta(days=1))
    governance.check_record_minutes(sec, meeting, "Notulen", "Minutes", visibility="body")
    for vis in ("body", "parties", "public"):
        governance.check_record_decision(sec, body, vis, vis, visibility=vis)

    def texts(user):
        return sorted(d.text_en for d in governance.decisions_visible_to(user, world.covenant_x))

    assert texts(union_user) == ["body", "parties", "public"]  # holds a seat
    assert texts(world.member_b) == ["parties", "public"]  # a party without a seat
    assert texts(world.member_c) == ["public"]  # a party of another covenant
    assert texts(None) == ["public"]
    assert texts(sec) == ["body", "parties", "public"]
    assert governance.audience(union_user, world.covenant_x).may_read("body", body.pk)
    assert not governance.audience(world.member_b, world.covenant_x).may_read("body", body.pk)
    assert not governance.meetings_visible_to(None, world.covenant_x).exists()
    assert governance.meetings_visible_to(world.member_b, world.covenant_x).count() == 1


def test_minutes_wait_for_the_meeting(world):
    sec = world.secretariat_x
    body = governance.check_create_body(sec, world.covenant_x, "Stuurgroep", "Steering group")
    meeting = governance.check_schedule_meeting(sec, body, timezone.localdate() + timedelta(days=3))
    governance.check_add_agenda_item(sec, meeting, "Jaarplan", "Year plan", "tekst", "text")
    with pytest.raises(DomainError, match="not taken place"):
        governance.check_record_minutes(sec, meeting, "x", "x")
    assert [i.order for i in meeting.agenda.all()] == [1]
