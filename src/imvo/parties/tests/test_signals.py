"""The signal channel: a union's signal reaches the linked members without naming them."""

from __future__ import annotations

import pytest
from django.core import mail

from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.parties.models import Signal
from imvo.parties.services import signals
from imvo.testing import client_for

pytestmark = pytest.mark.django_db


def test_signal_reaches_the_linked_members_and_the_union_sees_only_counts(
    world, fnv, dhaka, django_capture_on_commit_callbacks
):
    x = world.covenant_x
    for user in (world.member_a, world.member_b):
        user.email = f"{user.username}@example.org"
        user.save()
    [found] = signals.public_locations(x, "Dhaka Knit")
    with django_capture_on_commit_callbacks(execute=True):
        s = signals.check_raise_signal(
            fnv, x, "Workers dismissed after forming a union",
            "Eleven workers were dismissed.", facility_id=int(str(found["id"])),
            search="Dhaka Knit",
        )  # fmt: skip
    assert (s.location, s.country, s.status) == (dhaka.name, "BD", Signal.Status.OPEN)
    # A and B link the factory; the filler member and company C (covenant Y) do not.
    assert {f.organisation for f in s.forwardings.all()} == {world.company_a, world.company_b}
    # Each person of a member reached gets one mail of their own.
    sent = [m.to for m in mail.outbox if "signal" in m.subject]
    assert all(len(to) == 1 for to in sent)
    assert {to[0] for to in sent} >= {world.member_a.email, world.member_b.email}
    assert "Company" not in " ".join(str(m.body) for m in mail.outbox)  # no member named

    union_page = client_for(fnv, "en").get(f"/parties/signals/{s.pk}/").content.decode()
    assert "Passed to 2 member companies linked to the location" in union_page
    assert "Company A" not in union_page and "Company B" not in union_page

    # A answers; the union reads the answer without A's name; B does not see A's answer.
    r = client_for(world.member_a, "en").post(
        f"/parties/signals/{s.pk}/", {"respond-text": "We visit the factory with the union."}
    )
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.status == Signal.Status.ANSWERED
    union_page = client_for(fnv, "en").get(f"/parties/signals/{s.pk}/").content.decode()
    assert "We visit the factory with the union." in union_page and "Company A" not in union_page
    assert "1 answered" in union_page
    b_page = client_for(world.member_b, "en").get(f"/parties/signals/{s.pk}/").content.decode()
    assert "We visit the factory" not in b_page
    # The secretariat sees who was reached and who answered.
    sec_page = (
        client_for(world.secretariat_x, "en").get(f"/parties/signals/{s.pk}/").content.decode()
    )
    assert "Company A" in sec_page and "Company B" in sec_page
    # Outsiders: another covenant's member and secretariat get 404.
    for outsider in (world.member_c, world.secretariat_y):
        assert client_for(outsider, "en").get(f"/parties/signals/{s.pk}/").status_code == 404

    # Only the raising party (or the secretariat) closes, with a note.
    with pytest.raises(PermissionDeniedError):
        signals.check_close(world.member_a, s, "done")
    with pytest.raises(DomainError, match="Say why"):
        signals.check_close(fnv, s, " ")
    signals.check_close(fnv, s, "Workers reinstated.")
    with pytest.raises(DomainError, match="closed"):
        signals.check_respond(world.member_b, s, "late")


def test_a_location_outside_the_search_results_cannot_be_probed(world, fnv, dhaka):
    """The id must come from a search of the public list: a union cannot try ids to
    learn whether members source from a factory that is not public."""
    with pytest.raises(DomainError, match="search results"):
        signals.check_raise_signal(
            fnv, world.covenant_x, "t", "d", facility_id=dhaka.pk, search="Saigon"
        )
    with pytest.raises(DomainError, match="search results"):
        signals.check_raise_signal(fnv, world.covenant_x, "t", "d", facility_id=dhaka.pk)
    assert not Signal.objects.exists()


def test_only_unions_and_ngos_raise_signals(world, fnv):
    with pytest.raises(PermissionDeniedError):
        signals.check_raise_signal(
            world.member_a, world.covenant_x, "t", "d", location="Mill", country="BD"
        )
    with pytest.raises(PermissionDeniedError):  # FNV is not a party to covenant Y
        signals.check_raise_signal(fnv, world.covenant_y, "t", "d", location="M", country="BD")
    with pytest.raises(DomainError, match="not a country code"):
        signals.check_raise_signal(fnv, world.covenant_x, "t", "d", location="M", country="XX")
    # A location not on the public list is recorded for the secretariat; it reaches no one.
    s = signals.check_raise_signal(
        fnv, world.covenant_x, "Fire exits locked", "Seen on 3 May.", location="Unknown Mill",
        country="bd",
    )  # fmt: skip
    assert (s.country, s.forwardings.count()) == ("BD", 0)
    assert client_for(world.member_a, "en").get("/parties/x/signals/new/").status_code == 404


def test_the_union_raises_a_signal_through_the_page(world, fnv, dhaka):
    c = client_for(fnv, "en")
    page = c.get("/parties/covenant-x/signals/new/?q=Dhaka+Knit").content.decode()
    assert dhaka.name in page
    r = c.post(
        "/parties/covenant-x/signals/new/?q=Dhaka+Knit",
        {"title": "Overtime unpaid", "description": "Since March.", "facility_id": dhaka.pk,
         "search": "Dhaka Knit"},
    )  # fmt: skip
    assert r.status_code == 302
    s = Signal.objects.get()
    assert s.forwardings.count() == 2
    listing = c.get("/parties/signals/").content.decode()
    assert "Overtime unpaid" in listing
