"""A union or NGO files a complaint on behalf of workers with their consent
recorded (who, how, when, to what); the workers follow it with the receipt
code; the organisation sees the complaints it filed, and no one else's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from imvo.accounts.testing import make_user
from imvo.complaints.models import AuditEntry, OnBehalfConsent
from imvo.complaints.services import access, following, on_behalf, workflow
from imvo.complaints.tests.helpers import admit, case_action, file, move
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.testing import make_org

WHO = "14 sewing operators of line 3, names on the signed forms held by the union"


@pytest.fixture
def union(world):
    return make_user("union_u", make_org("Garment Workers Union", type="union"))


def _file(world, user, **kw):
    values = {
        "covenant": world.covenant_x,
        "description": "Overtime is forced every night and not paid.",
        "consent_who": WHO,
        "consent_how": "signed",
        "consent_given_on": timezone.localdate() - timedelta(days=2),
        "consent_scope": ["file", "follow"],
        "respondent": world.company_a,
        "language": "bn",
    }
    values.update(kw)
    return on_behalf.check_file_on_behalf(user, **values)


def test_union_files_with_consent_recorded_and_follows_what_it_filed(world, union):
    filed = _file(world, union)
    c = filed.complaint
    assert c.filed_by_organisation == union.organisation
    assert c.complainant_type == "organisation" and c.anonymous
    consent = c.consent
    assert (consent.who, consent.how, consent.scope) == (WHO, "signed", ["file", "follow"])
    assert consent.recorded_by == union and WHO not in consent.who_enc  # encrypted
    entry = AuditEntry.objects.get(action="filed-on-behalf", complaint_id_ref=c.pk)
    assert "sewing" not in entry.detail  # no personal data in the audit trail
    # The workers follow with the receipt code, as any complainant.
    assert following.complaint_by_receipt(filed.receipt) == c
    # The union sees the complaints it filed, as the complainant sees them.
    assert list(access.complaints_visible_to(union)) == [c]
    _case, role = access.get_case(union, c.reference)
    assert role == "filer"
    view = workflow.case_view(union, c, role)
    assert view["consent"] == consent and view["case"]["description"].startswith("Overtime")
    c = move(world.secretariat_x, c, "acknowledged", "We received the union's complaint.")
    view = workflow.case_view(union, c, "filer")
    assert view["case"]["steps"][0]["reason"] == "We received the union's complaint."
    on_behalf.check_filer_message(union, c, "The workers add: night shifts continue.")
    assert following.complainant_view(c)["messages"][0]["body"].startswith("The workers add")
    # It acts as the complainant's side only: no steps, no evidence originals.
    with pytest.raises(access.CaseNotFoundError):
        move(union, c, "admissibility")
    with pytest.raises(access.CaseNotFoundError):
        workflow.evidence_for(union, c, "filer", 1)


def test_consent_must_say_who_how_when_and_cover_filing(world, union):
    for kw, why in (
        ({"consent_who": ""}, "who gave their consent"),
        ({"consent_how": "rumour"}, "how the workers gave"),
        ({"consent_given_on": None}, "the day the workers consented"),
        ({"consent_given_on": timezone.localdate() + timedelta(days=1)}, "not a day in the future"),
        ({"consent_scope": ["follow"]}, "must cover filing"),
    ):
        with pytest.raises(DomainError, match=why):
            _file(world, union, **kw)
    c = _file(world, union, consent_scope=["file"]).complaint
    with pytest.raises(PermissionDeniedError, match="does not cover following"):
        on_behalf.check_filer_message(union, c, "More facts")


def test_only_a_union_or_ngo_files_and_each_sees_only_its_own(world, union):
    for user in (world.member_a, world.secretariat_x, world.committee_x, world.admin):
        with pytest.raises(PermissionDeniedError, match="trade union or an NGO"):
            _file(world, user)
    ngo = make_user("ngo_n", make_org("Clean Clothes NGO", type="ngo"))
    theirs = _file(world, ngo).complaint
    ours = _file(world, union).complaint
    assert list(access.complaints_visible_to(union)) == [ours]
    with pytest.raises(access.CaseNotFoundError):
        access.get_case(union, theirs.reference)
    with pytest.raises(access.CaseNotFoundError):
        on_behalf.check_filer_message(union, theirs, "Not ours")
    # A complaint filed by a worker directly is not the union's.
    direct = file(world).complaint
    with pytest.raises(access.CaseNotFoundError):
        access.get_case(union, direct.reference)


def test_the_company_never_learns_the_workers_or_the_union(world, union, client):
    c = admit(world.committee_x, _file(world, union).complaint)
    workflow.check_share_with_company(world.committee_x, c, "Unpaid overtime on line 3.")
    client.force_login(world.member_a)
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    assert "sewing operators" not in page and "Garment Workers Union" not in page
    # Workers who agreed to share their names: the company reads them.
    shared = _file(
        world, union, consent_who="Amina Begum", consent_scope=["file", "share_identity"]
    ).complaint
    shared = admit(world.committee_x, shared)
    assert workflow.case_view(world.member_a, shared, "company")["identity"] == "Amina Begum"


def test_on_behalf_pages(world, union, client):
    client.force_login(world.member_a)
    assert client.get("/complaints/on-behalf/").status_code == 403
    client.force_login(union)
    assert client.get("/complaints/on-behalf/").status_code == 200
    data = {
        "covenant": world.covenant_x.slug,
        "respondent": str(world.company_a.pk),
        "description": "Overtime is forced every night and not paid.",
        "language": "bn",
        "topics": ["hours"],
        "consent_who": WHO,
        "consent_how": "meeting",
        "consent_given_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "consent_scope": ["file", "follow"],
    }
    r = client.post("/complaints/on-behalf/", {**data, "consent_scope": ["follow"]})
    assert r.status_code == 400 and "must cover filing" in r.content.decode()
    r = client.post("/complaints/on-behalf/", data)
    assert r.status_code == 201
    body = r.content.decode()
    assert 'id="receipt"' in body
    c = union.organisation.complaints_filed.get()
    assert c.consent.how == OnBehalfConsent.How.MEETING and c.language == "bn"
    listed = client.get("/complaints/cases/").content.decode()
    assert c.reference in listed
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    assert 'id="consent"' in page and WHO in page and 'id="write"' in page
    r = case_action(client, c, "filer_message", body="More.")
    assert r.status_code == 302
    # The committee sees who filed and the consent record.
    client.force_login(world.committee_x)
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    assert "Garment Workers Union" in page and WHO in page
    # The union's start page offers filing and its cases.
    client.force_login(union)
    start = client.get("/accounts/").content.decode()
    assert "/complaints/on-behalf/" in start and "/complaints/cases/" in start
