"""Joint action tied into the rest of due diligence, both ways (issue 18, "Links both ways"):
action plan <-> register and CAP items, complaint remedy -> CAP item, CAP progress ->
submissions and KPIs, and a facility's public CAP status only with every consent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from imvo.collective import plan_notes
from imvo.collective.models import CapItem, Finding, PlanLink
from imvo.collective.services import cap, from_complaint, joint, kpi, links
from imvo.collective.services.figures import cap_figures
from imvo.collective.tests.helpers import fire_safety_plan, share_a_facility
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.registry import plan_notes_for, submission_notes_for
from imvo.duediligence.services import action_plan
from imvo.risk import services as risk

pytestmark = pytest.mark.django_db


def _joint_plan(world, shared):
    return fire_safety_plan(
        world.member_a, world.member_b, world.covenant_x, shared.facility.pk, cost_estimate="1000"
    )


def _verify(world, shared, action, item):
    cap.check_name_verifier(world.member_a, action, shared.union.username, "union")
    cap.check_report(world.member_a, item, "reported", "Photos")
    cap.check_verify(shared.union, item, True, "Seen")


def _plan_action(user, covenant, what="Fix fire safety with the other buyers"):
    return action_plan.check_save_action(
        user, covenant, what=what, owner="CSR", target="exits open",
        deadline=timezone.localdate() + timedelta(days=60),
    )  # fmt: skip


# --- 1. action plan -> register entries and CAP items --------------------------------------


def test_a_plan_action_links_only_own_entries_and_items_of_joined_actions(client, world) -> None:
    shared = share_a_facility(world)
    _action, item = _joint_plan(world, shared)
    mine = _plan_action(world.member_a, world.covenant_x)
    entry = risk.create_entry(world.member_a, world.company_a, "health-safety", "Locked exits")
    b_entry = risk.create_entry(world.member_b, world.company_b, "health-safety", "B's risk")
    with pytest.raises(DomainError, match="own register entries"):
        links.check_set_links(world.member_a, mine.pk, [b_entry.pk], [])
    with pytest.raises(DomainError, match="is not a number"):
        links.check_set_links(world.member_a, mine.pk, ["x"], [])
    # D was invited but did not join: it cannot tie its plan to the item.
    d_action = _plan_action(shared.member_d, world.covenant_x)
    with pytest.raises(DomainError, match="joined"):
        links.check_set_links(shared.member_d, d_action.pk, [], [item.pk])
    with pytest.raises(DomainError, match="your own action-plan"):
        links.check_set_links(world.member_b, mine.pk, [], [item.pk])
    links.check_set_links(world.member_a, mine.pk, [entry.pk], [item.pk])
    assert PlanLink.objects.filter(plan_action=mine).count() == 2
    notes = [n.text for n in plan_notes_for(world.member_a, [mine.pk])[mine.pk]]
    assert any("Locked exits" in t for t in notes) and any("Panic bars" in t for t in notes)
    # The secretariat reads the links (no form); another member nothing.
    sx = plan_notes_for(world.secretariat_x, [mine.pk])[mine.pk]
    assert len(sx) == 2 and not any(n.suggestion for n in sx)
    assert plan_notes_for(world.member_b, [mine.pk]) == {}
    # Replacing the set: unticking removes.
    links.check_set_links(world.member_a, mine.pk, [entry.pk], [])
    assert list(PlanLink.objects.filter(plan_action=mine).values_list("cap_item", flat=True)) == [
        None
    ]


def test_the_link_form_is_the_members_own(client, world) -> None:
    shared = share_a_facility(world)
    _action, item = _joint_plan(world, shared)
    mine = _plan_action(world.member_a, world.covenant_x)
    entry = risk.create_entry(world.member_a, world.company_a, "health-safety", "Locked exits")
    url = f"/collective/plan/{mine.pk}/"
    client.force_login(world.member_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {"item": [item.pk]}).status_code == 404
    assert not PlanLink.objects.exists()
    client.force_login(world.member_a)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Locked exits" in page and "Panic bars" in page
    r = client.post(url, {"entry": [entry.pk], "item": [item.pk]})
    assert r.status_code == 302 and PlanLink.objects.filter(plan_action=mine).count() == 2
    r = client.post(url, {"item": ["999999"]}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "only items of joint actions" in r.content.decode()
    assert PlanLink.objects.filter(plan_action=mine).count() == 2  # nothing lost
    action_page = client.get(f"/due-diligence/actions/{mine.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Panic bars" in action_page.content.decode()


# --- 2. a complaint's remedy -> CAP item ---------------------------------------------------


@pytest.fixture
def complaint_keys(tmp_path, monkeypatch, settings):
    from imvo.complaints import crypto

    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("IMVO_COMPLAINTS_KEY_FILE", str(tmp_path / "keys" / "complaints.key"))
    crypto.forget_keys()
    yield
    crypto.forget_keys()


def test_a_remedy_in_follow_up_becomes_a_cap_item_without_the_complaint(
    world, complaint_keys, django_capture_on_commit_callbacks
) -> None:
    from imvo.complaints.tests.helpers import SECRET_TEXT, file, move, walk_to_decision

    shared = share_a_facility(world)
    action, _item = _joint_plan(world, shared)
    f = shared.facility
    filed = file(world, SECRET_TEXT, facility={"id": f.pk, "name": f.name, "country": f.country})
    c = walk_to_decision(world.committee_x, filed.complaint, remedy=True)
    with django_capture_on_commit_callbacks(execute=True):
        move(world.committee_x, c, "remediation")
    finding = Finding.objects.get(action=action, source=Finding.Source.COMPLAINT)
    item = finding.items.get()
    assert item.owner == CapItem.Owner.MEMBER and item.deadline > timezone.localdate()
    # Nothing of the complaint leaves the committee.
    for text in (finding.description, item.fix):
        assert "Rahim" not in text and "Pay the wages" not in text
        assert (c.reference or "-") not in text
    # Once only, even if asked again (an appeal bringing the case back).
    assert from_complaint.items_from_remedy(c.pk) == []
    # A complaint naming no facility, or one without an open joint action, adds nothing.
    other = file(world, "No facility named")
    assert from_complaint.items_from_remedy(other.complaint.pk) == []


def test_a_failing_cap_hook_never_blocks_the_complaint_step(
    world, complaint_keys, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from imvo.complaints.tests.helpers import file, move, walk_to_decision

    shared = share_a_facility(world)
    _joint_plan(world, shared)
    f = shared.facility
    filed = file(world, facility={"id": f.pk, "name": f.name, "country": f.country})
    c = walk_to_decision(world.committee_x, filed.complaint, remedy=True)

    def broken(_complaint_id: int) -> list[CapItem]:
        raise RuntimeError("CAP hook broken")

    monkeypatch.setattr(from_complaint, "items_from_remedy", broken)
    with django_capture_on_commit_callbacks(execute=True):
        c = move(world.committee_x, c, "remediation")
    c.refresh_from_db()
    assert c.state == "remediation"


# --- 3. CAP progress -> submissions and KPIs -------------------------------------------------


def test_cap_progress_shows_in_the_members_submission(world) -> None:
    shared = share_a_facility(world)
    action, item = _joint_plan(world, shared)
    a, b = world.company_a.pk, world.company_b.pk
    cap.check_set_shares(world.member_a, item, {a: 60, b: 40})
    year = timezone.localdate().year
    lines = [n.text for n in submission_notes_for(a, world.covenant_x.pk, year)]
    assert "joined: 1; items: 1, of which fixed and verified: 0" in lines[0]
    assert "plans: €600 (" in lines[1]  # A agreed 60 % of 1000 by proposing
    assert len(submission_notes_for(b, world.covenant_x.pk, year)) == 1  # B has not agreed yet
    _verify(world, shared, action, item)
    assert (
        "fixed and verified: 1" in plan_notes.submission_notes(a, world.covenant_x.pk, year)[0].text
    )
    # D was invited, never joined; a year before the plan shows nothing.
    assert submission_notes_for(shared.company_d.pk, world.covenant_x.pk, year) == []
    assert submission_notes_for(a, world.covenant_x.pk, year - 1) == []


def test_the_submission_page_shows_joint_action_progress(client, world) -> None:
    from imvo.duediligence.services import frameworks, submissions

    shared = share_a_facility(world)
    _joint_plan(world, shared)
    frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "garment")
    sub = submissions.check_start_submission(
        world.member_a, world.covenant_x, timezone.localdate().year
    )
    client.force_login(world.member_a)
    page = client.get(f"/due-diligence/submissions/{sub.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="joint-action-progress"' in page.content.decode()
    assert "Joint corrective action plans joined: 1" in page.content.decode()


def test_a_kpi_tied_to_cap_progress_is_recorded_by_the_platform(
    world, django_capture_on_commit_callbacks
) -> None:
    from imvo.covenants.models import KpiMeasurement
    from imvo.testing import make_agreement

    shared = share_a_facility(world)
    action, item = _joint_plan(world, shared)
    agreement = make_agreement(world.covenant_x)
    with pytest.raises(PermissionDeniedError):
        kpi.check_tie(world.member_a, agreement, "verified_share")
    with pytest.raises(DomainError, match="from the list"):
        kpi.check_tie(world.secretariat_x, agreement, "everything")
    kpi.check_tie(world.secretariat_x, agreement, "verified_share")
    m = KpiMeasurement.objects.get(agreement=agreement)
    assert m.value == 0 and m.source == kpi.source_label()
    with django_capture_on_commit_callbacks(execute=True):
        _verify(world, shared, action, item)
    m = KpiMeasurement.objects.get(agreement=agreement)  # still one a day: updated
    assert m.value == 100
    kpi.check_tie(world.secretariat_x, agreement, "")
    assert kpi.ties_of(world.covenant_x) == {}


# --- 4. a facility's CAP status is public only with every consent ---------------------------


def test_a_facilitys_status_is_public_only_while_the_facility_and_every_joined_member_agree(
    client, world
) -> None:
    shared = share_a_facility(world)
    action, _item = _joint_plan(world, shared)
    name = shared.facility.name
    url = f"/collective/public/{world.covenant_x.slug}/"

    def shown() -> bool:
        in_figures = [p.facility for p in cap_figures(world.covenant_x).public] == [name]
        on_page = name in client.get(url).content.decode()
        assert in_figures == on_page  # the page shows what the figures allow, no more
        return on_page

    cap.check_consent(world.member_a, action, member=True)
    cap.check_consent(world.member_b, action, member=True)
    assert not shown()  # the facility has not agreed
    cap.check_consent(world.member_a, action, facility=True, note="Owner, by letter")
    assert shown()
    # D joins later without agreeing: the status is withdrawn until it does.
    joint.check_decide(shared.member_d, action, "join")
    assert not shown()
    cap.check_consent(shared.member_d, action, member=True)
    assert shown()
    # A member withdraws its consent; then the facility withdraws.
    cap.check_consent(world.member_b, action, member=False)
    assert not shown()
    cap.check_consent(world.member_b, action, member=True)
    cap.check_consent(world.secretariat_x, action, facility=False)
    assert not shown()
    # An invited member (not joined) cannot give or refuse consent for the others.
    with pytest.raises(PermissionDeniedError):
        cap.check_consent(world.member_c, action, member=True)
    page = client.get(url).content.decode()
    for member in ("Company A", "Company B", "Company D"):
        assert member not in page
