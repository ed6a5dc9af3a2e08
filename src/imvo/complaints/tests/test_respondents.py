"""A complaint filed without a member company gets its respondent(s) named later by
the committee, with reasons in the audit trail; the named member then sees and
answers the case as a respondent; the complainant learns only that the company
concerned was identified."""

import hashlib
import json

import pytest

from imvo.accounts.testing import make_user
from imvo.complaints.models import AuditEntry, RespondentNaming
from imvo.complaints.services import access, following, respondents, workflow
from imvo.complaints.services.access import CaseNotFoundError
from imvo.complaints.tests.helpers import assign_officer, case_action, file, move
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.testing import adhere, make_org

WHY = "Its 2025 supplier list names the factory the workers describe."


def in_review(world):
    """A complaint filed without a company, acknowledged, in the admissibility review."""
    c = file(world).complaint
    assert c.respondent is None
    c = move(world.secretariat_x, c, "acknowledged")
    return move(world.secretariat_x, assign_officer(c), "admissibility")


def test_named_member_sees_the_case_once_admissible_and_answers(world):
    c = in_review(world)
    [naming] = respondents.check_name_respondents(world.committee_x, c, [world.company_b.pk], WHY)
    c.refresh_from_db()
    assert c.respondent == world.company_b
    assert naming.by == world.committee_x and naming.by_name == "committee_x"
    assert naming.reason == WHY and WHY not in naming.reason_enc  # encrypted
    entry = AuditEntry.objects.filter(action="respondent-named").get()
    assert entry.actor == "committee_x" and entry.complaint_id_ref == c.pk
    detail = json.loads(entry.detail)
    assert detail["organisation"] == world.company_b.pk
    assert detail["reason_sha256"] == hashlib.sha256(WHY.encode()).hexdigest()
    assert WHY not in entry.detail  # no free text in the chain

    # Before admissibility, the company sees nothing (as any respondent).
    assert not access.complaints_visible_to(world.member_b).exists()
    with pytest.raises(CaseNotFoundError):
        access.get_case(world.member_b, c.reference)
    c = move(world.committee_x, c, "admissible")
    _c, role = access.get_case(world.member_b, c.reference)
    assert role == "company"
    workflow.check_share_with_company(world.committee_x, c, "Wages unpaid on line 3.")
    view = workflow.case_view(world.member_b, c, role)
    assert view["summary"] == "Wages unpaid on line 3." and "data" not in view
    workflow.check_post_message(world.member_b, c, "We will look into it.")
    # The other member of the covenant, not named, sees nothing.
    assert not access.complaints_visible_to(world.member_a).exists()
    with pytest.raises(CaseNotFoundError):
        access.get_case(world.member_a, c.reference)
    with pytest.raises(CaseNotFoundError):
        workflow.check_post_message(world.member_a, c, "Let me in.")
    [row] = access.case_rows(world.member_b, access.complaints_visible_to(world.member_b))
    assert row["role"] == "company"


def test_a_second_member_is_named_beside_the_first(world):
    d = make_org("Company D")
    adhere(world.covenant_x, d)
    member_d = make_user("member_d", d)
    c = in_review(world)
    respondents.check_name_respondents(world.committee_x, c, [world.company_b.pk], WHY)
    c = move(world.committee_x, c, "admissible")
    respondents.check_name_respondents(world.committee_x, c, [d.pk], WHY + " Also D.")
    c.refresh_from_db()
    assert c.respondent == world.company_b  # the first stays the case's respondent
    assert access.get_case(member_d, c.reference)[1] == "company"
    [row] = access.case_rows(member_d, access.complaints_visible_to(member_d))
    assert row["c"].pk == c.pk
    assert respondents.nameable_members(c).filter(pk__in=[d.pk, world.company_b.pk]).count() == 0
    with pytest.raises(DomainError, match="Already a respondent"):
        respondents.check_name_respondents(world.committee_x, c, [d.pk], WHY)
    # Someone of a named member can translate or substitute on the case no more.
    from imvo.complaints.services import translation

    with pytest.raises(DomainError, match="belongs to the company complained about"):
        translation.check_request_translation(world.committee_x, c, member_d, "nl")


@pytest.mark.parametrize("who", ["secretariat_x", "recused_committee_x", "member_a", "admin"])
def test_only_a_free_committee_member_names(world, who):
    c = in_review(world)
    from imvo.complaints.services import committee

    committee.check_recuse(world.secretariat_x, c, world.recused_committee_x, "Former employer")
    with pytest.raises((PermissionDeniedError, CaseNotFoundError)):
        respondents.check_name_respondents(getattr(world, who), c, [world.company_b.pk], WHY)
    assert not RespondentNaming.objects.exists()


def test_naming_refused_without_members_reasons_or_outside_its_stages(world):
    c = in_review(world)
    x = world.committee_x
    with pytest.raises(DomainError, match="Choose the member"):
        respondents.check_name_respondents(x, c, [], WHY)
    with pytest.raises(DomainError, match="Write why"):
        respondents.check_name_respondents(x, c, [world.company_b.pk], "ok")
    with pytest.raises(DomainError, match="Only active member companies of this covenant"):
        respondents.check_name_respondents(x, c, [world.company_c.pk], WHY)  # covenant Y
    fresh = file(world).complaint  # received, not yet acknowledged
    with pytest.raises(DomainError, match="from acknowledgement until the hearing"):
        respondents.check_name_respondents(x, fresh, [world.company_b.pk], WHY)
    assert not RespondentNaming.objects.exists()
    assert respondents.can_name(c) and not respondents.can_name(fresh)


def test_the_complainant_is_told_a_company_was_identified_not_which(world):
    c = in_review(world)
    respondents.check_name_respondents(x := world.committee_x, c, [world.company_b.pk], WHY)
    c = move(x, c, "admissible")
    view = following.complainant_view(c)
    labels = [s["state_label"] for s in view["steps"]]
    # All on one day: the day's state steps first, then the naming.
    assert labels == [
        "Acknowledged",
        "Admissibility review",
        "Admissible",
        "The company concerned was identified",
    ]
    text = json.dumps(view, default=str)
    assert "Company B" not in text and WHY not in text and "supplier list" not in text


def test_the_api_tells_the_complainant_too_without_the_name(world, client):
    filed = file(world)
    c = move(world.secretariat_x, filed.complaint, "acknowledged")
    respondents.check_name_respondents(world.committee_x, c, [world.company_b.pk], WHY)
    r = client.get("/api/complaints/mine", HTTP_X_RECEIPT=filed.receipt)
    assert r.status_code == 200
    assert "The company concerned was identified" in r.content.decode()
    assert "Company B" not in r.content.decode()


def test_case_page_names_a_respondent_and_keeps_the_form_on_error(world, client):
    c = in_review(world)
    client.force_login(world.committee_x)
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    assert 'id="name-respondent"' in page and "Company B" in page
    r = case_action(client, c, "name_respondent", organisation=[world.company_b.pk], reason="ok")
    assert r.status_code == 400
    assert "Write why" in r.content.decode()
    assert f'<option value="{world.company_b.pk}" selected>' in r.content.decode()
    r = case_action(client, c, "name_respondent", organisation=[world.company_b.pk], reason=WHY)
    assert r.status_code == 302
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    assert 'id="namings"' in page and WHY in page
    # The secretariat sees the naming, but no form to name.
    client.force_login(world.secretariat_x)
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    assert WHY in page and 'id="name-respondent"' not in page
    r = case_action(client, c, "name_respondent", organisation=[world.company_a.pk], reason=WHY)
    assert r.status_code == 400 and RespondentNaming.objects.count() == 1
