"""Every party's place: workspace, the obstacles register, a branch's members and reminders."""

from __future__ import annotations

import pytest
from django.core import mail

from imvo.accounts.testing import make_user
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.registry import links_for
from imvo.covenants.models import Obstacle
from imvo.covenants.services import parties
from imvo.testing import adhere, client_for, make_agreement, make_org, make_party

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(world):
    union = make_party(world.covenant_x, "FNV", "union")
    gov = make_party(world.covenant_x, "BZ", "government")
    branch = make_party(world.covenant_x, "Modint", "branch")
    world.company_a.branch_organisations.add(branch)
    return {
        "union": make_user("fnv", union),
        "gov": make_user("bz", gov),
        "branch": make_user("modint", branch),
        "union_org": union,
    }


def test_union_start_page_has_its_own_tools_not_company_tools(world, cast):
    labels = [link.label for link in links_for(cast["union"])]
    assert any("union's place" in label for label in labels)
    assert "Upload a supplier list" not in labels
    assert "Complaints about your company" not in labels
    company_labels = [link.label for link in links_for(world.member_a)]
    assert "Upload a supplier list" in company_labels


def test_workspace_shows_the_party_its_commitments(world, cast):
    agreement = make_agreement(world.covenant_x, title_en="Train 200 worker representatives")
    agreement.owners.add(cast["union_org"])
    (place,) = parties.places(cast["union"])
    assert [a.title_en for a, _ in place.commitments] == ["Train 200 worker representatives"]
    c = client_for(cast["union"], "en")
    page = c.get("/parties/").content.decode()
    assert "Train 200 worker representatives" in page
    assert "File a complaint on behalf of workers" in page
    assert 'href="/complaints/on-behalf/"' in page  # the consent-recording form, not the public one


def test_obstacle_raised_by_a_union_is_handled_by_government(world, cast):
    x = world.covenant_x
    o = parties.check_raise_obstacle(
        cast["union"], x, "et", "Union access to industrial parks",
        "Ethiopian labour law bars union access.", "Raise it with the ministry of labour.",
    )  # fmt: skip
    assert o.country == "ET"
    with pytest.raises(PermissionDeniedError):
        parties.check_accept_obstacle(cast["union"], o, "BZ")
    with pytest.raises(DomainError, match="Accept the obstacle"):
        parties.check_report_action(cast["gov"], o, "Talked")
    parties.check_accept_obstacle(cast["gov"], o, "Embassy Addis Ababa")
    parties.check_report_action(cast["gov"], o, "Raised at the bilateral labour dialogue.")
    parties.check_close_obstacle(cast["gov"], o, "Access protocol agreed for two parks.")
    o.refresh_from_db()
    assert (o.status, o.assigned_to, o.actions.count()) == (
        Obstacle.Status.CLOSED, "Embassy Addis Ababa", 1
    )  # fmt: skip
    with pytest.raises(DomainError, match="not a country code"):
        parties.check_raise_obstacle(cast["union"], x, "XX", "t", "d", "a")
    assert not parties.obstacles_visible_to(world.member_c, x).exists()  # party of Y only


def test_branch_sees_its_members_and_reminds_them_one_mail_each(world, cast):
    (place,) = parties.places(cast["branch"])
    assert [m.organisation.name for m in place.members] == ["Company A"]
    world.member_a.email = "a@company-a.example"
    world.member_a.save()
    sent = parties.check_remind_members(cast["branch"], world.covenant_x, "Submit by 1 May.")
    assert sent == 1 and mail.outbox[-1].to == ["a@company-a.example"]
    with pytest.raises(PermissionDeniedError):
        parties.check_remind_members(cast["union"], world.covenant_x, "x")


def _covenant_with_everything(i: int, union, branch, company, secretariat) -> None:
    """A covenant where the union owns an agreement with measurements, holds a seat,
    has a coming meeting and decisions to read, and the branch has a member."""
    from datetime import timedelta

    from django.utils import timezone

    from imvo.accounts.services import grant_role
    from imvo.covenants.models import KpiMeasurement
    from imvo.covenants.services import governance
    from imvo.testing import make_covenant

    c = make_covenant(slug=f"c{i}", name_en=f"Covenant {i}", name_nl=f"Convenant {i}")
    for org in (union, branch, company):
        adhere(c, org)
    grant_role(secretariat, c, "secretariat")
    a = make_agreement(c, title_en=f"Train {i}")
    a.owners.add(union)
    KpiMeasurement.objects.create(agreement=a, date=a.baseline_date, value=1, source="x")
    body = governance.check_create_body(secretariat, c, f"Stuurgroep {i}", f"Steering {i}")
    governance.check_add_seat(secretariat, body, "unions", union)
    governance.check_schedule_meeting(secretariat, body, timezone.localdate() + timedelta(days=3))
    for vis in ("public", "parties", "body"):
        governance.check_record_decision(secretariat, body, "Besluit", "Decision", visibility=vis)


def test_the_workspace_costs_the_same_queries_for_one_covenant_or_five(db):
    """/parties/ reads each kind of row once for all covenants (it did ~7 queries each)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    union = make_org("FNV", type="union")
    branch = make_org("Modint", type="branch")
    company = make_org("Member B.V.")
    company.branch_organisations.add(branch)
    secretariat = make_user("ser")
    users = {"union": make_user("fnv", union), "branch": make_user("modint", branch)}

    def cost(who: str) -> tuple[int, str]:
        c = client_for(users[who], "en")
        c.get("/parties/")  # warm the session and the role caches alike for both runs
        with CaptureQueriesContext(connection) as q:
            page = c.get("/parties/").content.decode()
        return len(q), page

    _covenant_with_everything(1, union, branch, company, secretariat)
    one = {who: cost(who) for who in users}
    for i in range(2, 6):
        _covenant_with_everything(i, union, branch, company, secretariat)
    five = {who: cost(who) for who in users}
    for who in users:
        assert one[who][0] == five[who][0], (who, one[who][0], five[who][0])
    union_page = five["union"][1]
    assert all(f"Train {i}" in union_page for i in range(1, 6))
    assert union_page.count("Steering ") >= 5  # seats and coming meetings of each body
    assert five["branch"][1].count("Member B.V.") == 5


def test_parties_comment_on_kpi_progress_shown_beside_the_figures(world, cast):
    from django.utils import translation

    agreement = make_agreement(world.covenant_x, title_en="Audits with unions present")
    with translation.override("en"):
        parties.check_comment_on_kpi(
            cast["union"], agreement, "The audits counted were announced in advance."
        )
    with pytest.raises(DomainError, match="Write your comment"):
        parties.check_comment_on_kpi(cast["union"], agreement, "  ")
    with pytest.raises(PermissionDeniedError):  # company C is a party of Y only
        parties.check_comment_on_kpi(world.member_c, agreement, "x")
    (line,) = parties.kpi_board(world.member_a, world.covenant_x)
    assert [c.organisation.name for c in line.comments] == ["FNV"]
    assert parties.kpi_board(world.member_c, world.covenant_x) == []

    c = client_for(world.member_a, "nl")
    page = c.get("/parties/covenant-x/kpis/").content.decode()
    section = page.split(f'id="agreement-{agreement.pk}"')[1]
    assert "The audits counted were announced in advance." in section
    # Written in English, read in Dutch: marked with its language.
    assert '<span lang="en">The audits counted' in section and "(EN)</small>" in section
    # The company comments through the page; the answer goes back to the figures.
    r = c.post(
        "/parties/covenant-x/kpis/", {"agreement": agreement.pk, "text": "Twee audits ingepland."}
    )
    assert r.status_code == 302 and r["Location"].endswith(f"#agreement-{agreement.pk}")
    assert [x.text for x in agreement.comments.all()][-1] == "Twee audits ingepland."
    # Another covenant's agreement cannot be commented through this covenant's page.
    other = make_agreement(world.covenant_y)
    r = c.post("/parties/covenant-x/kpis/", {"agreement": other.pk, "text": "x"})
    assert r.status_code == 404 and not other.comments.exists()
    # The union reads them beside its own commitments in the workspace too.
    agreement.owners.add(cast["union_org"])
    u = client_for(cast["union"], "en")
    assert "Twee audits ingepland." in u.get("/parties/").content.decode()


@pytest.mark.django_db
def test_active_adherence_is_the_users_organisation_taking_part_now():
    from imvo.covenants.models import Adherence
    from imvo.testing import make_covenant

    x, y = make_covenant(), make_covenant()
    union = make_org("Union U", type="union")
    own = adhere(x, union, role=Adherence.Role.STAKEHOLDER)
    adhere(y, union, status=Adherence.Status.SUSPENDED)
    person = make_user(organisation=union)
    assert parties.active_adherence(person, x) == own
    assert parties.active_adherence(person, y) is None  # suspended
    assert parties.active_adherence(make_user(), x) is None  # no organisation
    assert parties.is_active_party(person, x) and not parties.is_active_party(person, y)


def test_an_obstacle_keeps_the_language_it_was_written_in(world, cast):
    """A union writes in English, a Dutch reader sees the texts marked "(EN)"
    and in their `lang` (screen readers, hyphenation); the government's actions
    and result carry their own language (Obstacle.language, as KpiComment)."""
    from django.utils import translation

    x = world.covenant_x
    with translation.override("en"):
        o = parties.check_raise_obstacle(
            cast["union"], x, "ET", "Union access to industrial parks",
            "Ethiopian labour law bars union access.", "Raise it with the ministry of labour.",
        )  # fmt: skip
    with translation.override("nl"):
        parties.check_accept_obstacle(cast["gov"], o, "Ambassade Addis Abeba")
        parties.check_report_action(cast["gov"], o, "Besproken in de arbeidsdialoog.")
        parties.check_close_obstacle(cast["gov"], o, "Toegangsprotocol voor twee parken.")
    o.refresh_from_db()
    assert (o.language, o.result_language, o.actions.get().language) == ("en", "nl", "nl")
    dutch = client_for(cast["union"], "nl")
    page = dutch.get(f"/parties/{x.slug}/obstacles/{o.pk}/").content.decode()
    assert '<h1><span lang="en">Union access to industrial parks</span>' in page
    assert '<div lang="en"><p>Ethiopian labour law bars union access.</p></div>' in page
    assert page.count("(EN)</small>") == 3  # title, problem, ask; not the Dutch texts
    listing = dutch.get(f"/parties/{x.slug}/obstacles/").content.decode()
    assert '<span lang="en">Union access to industrial parks</span>' in listing
    assert "(EN)</small>" in listing
    english = client_for(cast["union"], "en")
    page = english.get(f"/parties/{x.slug}/obstacles/{o.pk}/").content.decode()
    assert page.count("(NL)</small>") == 2  # the action and the result
    assert '<div lang="nl"><p>Toegangsprotocol voor twee parken.</p></div>' in page
