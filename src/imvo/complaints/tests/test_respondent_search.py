"""The case list's text search finds a case by the name of every respondent the
committee named, for the committee and the secretariat; a company still finds
only the cases it may see (services/access.filter_cases)."""

from imvo.accounts.testing import make_user
from imvo.complaints.services import access, respondents
from imvo.complaints.tests.helpers import assign_officer, file, move
from imvo.testing import adhere, make_org

WHY = "Its 2025 supplier list names the factory the workers describe."


def _refs(user, text):
    qs = access.complaints_visible_to(user)
    return {r["c"].reference for r in access.filter_cases(user, qs, access.CaseFilter(text=text))}


def test_search_finds_the_second_named_member_and_stays_scoped(world, client):
    d = make_org("Delta Garments")
    adhere(world.covenant_x, d)
    member_d = make_user("member_d", d)
    c = file(world, "Overtime unpaid at the dyeing unit.").complaint
    c = move(world.secretariat_x, c, "acknowledged")
    c = move(world.secretariat_x, assign_officer(c), "admissibility")
    respondents.check_name_respondents(world.committee_x, c, [world.company_b.pk], WHY)
    respondents.check_name_respondents(world.committee_x, c, [d.pk], WHY + " Also D.")
    other = file(world, "No fire exits on floor 2.", respondent=world.company_a).complaint
    other = move(world.secretariat_x, other, "acknowledged")
    move(world.secretariat_x, assign_officer(other), "admissibility")

    for handler in (world.committee_x, world.secretariat_x):
        assert _refs(handler, "delta garm") == {c.reference}  # the second named member
        assert _refs(handler, world.company_b.name) == {c.reference}  # the first
    # The web list searches the same way.
    client.force_login(world.secretariat_x)
    page = client.get("/complaints/cases/", {"q": "Delta"}).content.decode()
    assert c.reference in page and other.reference not in page

    # Before admissibility the named member finds nothing, not even by its own name.
    assert _refs(member_d, "Delta") == set() and _refs(member_d, "") == set()
    c = move(world.committee_x, c, "admissible")
    other = move(world.committee_x, other, "admissible")
    assert _refs(member_d, "") == {c.reference}
    # A company never finds another company's case, whatever it searches.
    for text in ("Delta", world.company_a.name, other.reference, "fire exits"):
        assert other.reference not in _refs(member_d, text)
    assert _refs(world.member_a, "Delta") == set()
    assert _refs(world.member_a, "") == {other.reference}
