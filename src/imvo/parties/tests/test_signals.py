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
    # Two members source there, fewer than K=3: the union reads a range, as the public
    # list's band and the members' shared-facilities page would (no exact small count).
    assert "linked to the location it was passed to: 1\u20132" in union_page
    assert "Below 3 members the number is shown as a range" in union_page
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
    assert "answered by 1\u20132." in union_page  # a range beside the range (T81)
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


def test_a_member_reached_is_not_told_how_many_others_were_reached_or_answered(world, fnv, dhaka):
    """The signal page and the list of signals told member B "passed to 2 member
    companies; 1 answered": exactly one other member sources at the factory and
    answered, while B's shared-facilities page shows that figure only as a range
    below K. A member reads the signal and its own answers only (docs/parties.md)."""
    [found] = signals.public_locations(world.covenant_x, "Dhaka Knit")
    s = signals.check_raise_signal(
        fnv, world.covenant_x, "Overtime unpaid", "Since March.",
        facility_id=int(str(found["id"])), search="Dhaka Knit",
    )  # fmt: skip
    signals.check_respond(world.member_a, s, "We visit the factory with the union.")
    b = client_for(world.member_b, "en")
    page = b.get(f"/parties/signals/{s.pk}/").content.decode()
    assert "Overtime unpaid" in page
    assert 'id="signal-reach"' not in page and "answered." not in page
    listing = b.get("/parties/signals/").content.decode()
    row = listing[listing.index("Overtime unpaid") :]
    row = row[: row.index("</tr>")]
    assert "<td>2</td>" not in row and "<td>1</td>" not in row
    assert row.endswith("<td>\u2013</td><td>0</td>")  # reach not shown; B's own answers: 0
    # The secretariat still reads the exact figures.
    sec = client_for(world.secretariat_x, "en").get("/parties/signals/").content.decode()
    sec_row = sec[sec.index("Overtime unpaid") :]
    assert sec_row[: sec_row.index("</tr>")].endswith("<td>2</td><td>1</td>")


def test_reach_figure_is_a_range_below_k_for_the_raising_party():
    assert signals.reach_figure(2, "raiser", 5) == ("1\u20134", True)
    assert signals.reach_figure(5, "raiser", 5) == ("5", False)
    assert signals.reach_figure(0, "raiser", 5) == ("0", False)
    assert signals.reach_figure(2, "secretariat", 5) == ("2", False)
    assert signals.reach_figure(7, "member", 5) == ("", False)


def test_the_signals_pages_back_link_leads_somewhere_for_every_reader(world, fnv):
    """The list's back link pointed at the parties' workspace, which answers 404 to the
    secretariat (it belongs to no organisation): a dead link on its own signals page."""
    import re

    for user in (world.secretariat_x, fnv, world.member_a):
        c = client_for(user, "en")
        page = c.get("/parties/signals/").content.decode()
        [back] = re.findall(r'<p><a href="([^"]+)">\u2190', page)
        assert c.get(back).status_code == 200, (user.username, back)


def test_the_answers_count_never_tells_the_reach_the_range_hides(world, fnv, dhaka):
    """With K=3 the union read "linked ...: 1\u20132; 2 answered.": two members answered,
    so two were reached, the exact count the range hides (docs/security.md T81).
    Below K the members that answered are a range too; the secretariat reads both."""
    [found] = signals.public_locations(world.covenant_x, "Dhaka Knit")
    s = signals.check_raise_signal(
        fnv, world.covenant_x, "Overtime unpaid", "Since March.",
        facility_id=int(str(found["id"])), search="Dhaka Knit",
    )  # fmt: skip
    union = client_for(fnv, "en")

    def reach_line() -> str:
        page = union.get(f"/parties/signals/{s.pk}/").content.decode()
        start = page.index('id="signal-reach"')
        return page[start : page.index("</p>", start)]

    assert reach_line().endswith("1\u20132; 0 answered.")  # none: nothing to hide
    signals.check_respond(world.member_a, s, "We visit the factory with the union.")
    signals.check_respond(world.member_b, s, "We asked the supplier for the payroll.")
    line = reach_line()
    assert "2 answered" not in line and "1 answered" not in line
    assert line.endswith("1\u20132; answered by 1\u20132.")
    sec = client_for(world.secretariat_x, "en").get(f"/parties/signals/{s.pk}/").content.decode()
    assert "2 answered." in sec
