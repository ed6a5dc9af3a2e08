"""Playing the attacker against the respondents the committee names, the files a
company attaches to its answer and the complainant's own files on the follow
page (docs/security.md, T29 and after). Each test fails on the code before its
fix."""

from datetime import timedelta

import pytest
from django.utils import timezone

from imvo.accounts.testing import make_user
from imvo.complaints.services import forwarding, on_behalf, respondents
from imvo.complaints.tests.helpers import assign_officer, file, move
from imvo.testing import adhere, client_for, make_org

WHY = "Its 2025 supplier list names the factory the workers describe."


def _in_review(c, world):
    c = move(world.secretariat_x, c, "acknowledged")
    return move(world.secretariat_x, assign_officer(c), "admissibility")


def _case_list(user, **query):
    client = client_for(user, "en")
    response = client.get("/complaints/cases/", query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_named_second_never_reads_or_finds_the_first_respondents_name(world):
    """T29: the case list showed every company role `Complaint.respondent`, the
    first member named: the second one named read its fellow respondent's name
    there, and could find the case by searching for it."""
    d = make_org("Dyeworks Delta")
    adhere(world.covenant_x, d)
    member_d = make_user("member_d", d)
    c = _in_review(file(world).complaint, world)
    respondents.check_name_respondents(world.committee_x, c, [world.company_b.pk], WHY)
    c = move(world.committee_x, c, "admissible")
    respondents.check_name_respondents(world.committee_x, c, [d.pk], WHY + " Also D.")

    page = _case_list(member_d)
    assert c.reference in page and "Company B" not in page
    assert "Dyeworks Delta" in page  # its own part
    assert c.reference not in _case_list(member_d, q="Company B")
    assert c.reference in _case_list(member_d, q="Dyeworks")
    # The first one named still reads its own name, and not D's.
    page_b = _case_list(world.member_b)
    assert "Company B" in page_b and "Dyeworks Delta" not in page_b
    # The committee reads the case's respondent as before.
    assert "Company B" in _case_list(world.committee_x)


def test_a_member_a_location_complaint_was_forwarded_to_never_learns_who_was_named(
    world, monkeypatch
):
    """T29: a location complaint forwarded to the members whose lists name the
    factory; the committee names one of them; the others read its name in their
    case list: who else sources at the factory (T14)."""
    monkeypatch.setattr(
        forwarding, "linked_organisations", lambda fid: [world.company_a, world.company_b]
    )
    c = file(world, facility={"id": 77, "name": "Factory 77", "country": "BD"}).complaint
    assert forwarding.check_forward_to_linked_members(world.secretariat_x, c) == 2
    c = _in_review(c, world)
    respondents.check_name_respondents(world.committee_x, c, [world.company_a.pk], WHY)

    page = _case_list(world.member_b)
    assert c.reference in page and "Company A" not in page
    assert c.reference not in _case_list(world.member_b, q="Company A")


def _filed_by_union(world, respondent):
    """A union files for workers (with their consent) against `respondent` or none."""
    union = make_user("union_u", make_org("Garment Workers Union", type="union"))
    filed = on_behalf.check_file_on_behalf(
        union,
        covenant=world.covenant_x,
        description="Overtime is forced every night and not paid.",
        consent_who="14 sewing operators of line 3",
        consent_how="signed",
        consent_given_on=timezone.localdate() - timedelta(days=2),
        consent_scope=["file", "follow"],
        respondent=respondent,
        language="bn",
    )
    return union, filed


def test_the_union_that_filed_is_not_told_which_member_the_committee_named(world):
    """T29: the complainant reads that the company concerned was identified, not
    which; the union that filed for the workers (who sees what they see) read
    the named member in its case list."""
    union, filed = _filed_by_union(world, respondent=None)
    c = _in_review(filed.complaint, world)
    respondents.check_name_respondents(world.committee_x, c, [world.company_b.pk], WHY)

    page = _case_list(union)
    assert c.reference in page and "Company B" not in page
    assert c.reference not in _case_list(union, q="Company B")


def test_the_member_a_union_complained_about_stays_named_to_the_union(world):
    """What the complainant named at filing is theirs to read (not a naming)."""
    union, _filed = _filed_by_union(world, respondent=world.company_a)
    assert "Company A" in _case_list(union)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _withdrawn_from_x_active_in_y(world):
    """Company C (active in covenant Y) left covenant X."""
    from imvo.covenants.models import Adherence

    adhere(world.covenant_x, world.company_c, status=Adherence.Status.WITHDRAWN)
    return world.company_c


def test_a_company_that_left_the_covenant_cannot_be_named_forwarded_to_or_complained_about(
    world, monkeypatch
):
    """T30: `members_of` asked for an active adherence and an adherence to the
    covenant in two filters over one many-valued relation, which Django joins
    twice: a company that had withdrawn from covenant X but was active in
    covenant Y passed as a member of X. The committee could name it, a location
    complaint was forwarded to it, and it then read X's case."""
    from imvo.complaints.services import filing
    from imvo.core.errors import DomainError

    gone = _withdrawn_from_x_active_in_y(world)
    assert gone not in filing.members_of(world.covenant_x)
    assert gone in filing.members_of(world.covenant_y)

    c = _in_review(file(world).complaint, world)
    assert gone.pk not in respondents.nameable_members(c).values_list("pk", flat=True)
    with pytest.raises(DomainError, match="Only active member companies"):
        respondents.check_name_respondents(world.committee_x, c, [gone.pk], WHY)

    monkeypatch.setattr(forwarding, "linked_organisations", lambda fid: [world.company_a, gone])
    located = file(world, facility={"id": 77, "name": "Factory 77", "country": "BD"}).complaint
    assert forwarding.check_forward_to_linked_members(world.secretariat_x, located) == 1
    assert c.reference not in _case_list(world.member_c)
    assert located.reference not in _case_list(world.member_c)
    with pytest.raises(DomainError):
        file(world, respondent=gone)


def test_the_company_reads_shared_files_by_their_number_never_by_their_id(world, client):
    """T31: evidence ids count every file of the platform. The company saw the id
    of each file shared with it (in the link and the file name); with its own
    answer files (or a complaint it files itself) as clock marks it read from
    that id when the complainant sent the file, which the complainant's times,
    kept to the hour, hide."""
    from imvo.complaints.services import answers, following, workflow
    from imvo.complaints.tests.helpers import admit, jpeg_with_exif
    from imvo.core.testing import one_page_pdf

    filed = file(world, respondent=world.company_a)
    c = admit(world.committee_x, filed.complaint)
    [mark_before] = answers.check_company_answer(world.member_a, c, "", [("a.pdf", one_page_pdf())])
    following.check_complainant_reply(c, "A photo of the gate.", [("gate.jpg", jpeg_with_exif())])
    [mark_after] = answers.check_company_answer(world.member_a, c, "", [("b.pdf", one_page_pdf())])
    photo = c.evidence.get(company__isnull=True)
    assert mark_before.pk < photo.pk < mark_after.pk  # what the ids tell
    workflow.check_share_with_company(world.committee_x, c, "A summary.", [photo.pk])

    client.force_login(world.member_a)
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    assert f"/evidence/{photo.pk}/" not in page
    assert f"/complaints/cases/{c.reference}/shared/1/" in page
    r = client.get(f"/complaints/cases/{c.reference}/shared/1/")
    assert r.status_code == 200 and r.content.startswith(b"\xff\xd8\xff")
    assert str(photo.pk) not in r["Content-Disposition"]
    assert b"SecretPhoneMaker" not in r.content  # the safe copy
    assert client.get(f"/complaints/cases/{c.reference}/evidence/{photo.pk}/").status_code == 404
    assert client.get(f"/complaints/cases/{c.reference}/shared/2/").status_code == 404
    assert client.get(f"/complaints/cases/{c.reference}/shared/0/").status_code == 404
    # Another member never gets it by number either.
    client.force_login(world.member_b)
    assert client.get(f"/complaints/cases/{c.reference}/shared/1/").status_code == 404
    # The committee still reads it by its id (and the original).
    client.force_login(world.committee_x)
    assert client.get(f"/complaints/cases/{c.reference}/evidence/{photo.pk}/").status_code == 200
    assert client.get(f"/complaints/cases/{c.reference}/shared/1/").status_code == 404


def test_the_complainant_is_not_told_how_many_members_were_named(world):
    """T32: a step per day of naming: a member named a week after the first gave
    the complainant a second "company concerned was identified", so at least two
    member companies (buyers of the location), which the follow page promises not
    to tell (not which company, nor how many)."""
    from imvo.complaints.services import following

    d = make_org("Dyeworks Delta")
    adhere(world.covenant_x, d)
    c = _in_review(file(world).complaint, world)
    respondents.check_name_respondents(world.committee_x, c, [world.company_b.pk], WHY)
    c.namings.update(at=timezone.now() - timedelta(days=7))
    respondents.check_name_respondents(world.committee_x, c, [d.pk], WHY + " Also D.")
    steps = [s for s in following.complainant_view(c)["steps"] if not s["state"]]
    assert len(steps) == 1
    assert steps[0]["on"] == timezone.localtime(timezone.now() - timedelta(days=7)).date()
