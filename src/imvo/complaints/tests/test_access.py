"""Who sees which case: the committee and secretariat of its covenant, the company after admissibility."""

import pytest

from imvo.complaints.services import access
from imvo.complaints.tests.helpers import admit, file, move


def test_access_rules(world):
    c = file(world, respondent=world.company_a).complaint
    assert set(access.complaints_visible_to(world.committee_x)) == {c}
    assert set(access.complaints_visible_to(world.secretariat_x)) == {c}
    for outsider in (world.secretariat_y, world.member_b, world.member_c, world.admin):
        assert not access.complaints_visible_to(outsider).exists()
        with pytest.raises(access.CaseNotFoundError):
            access.get_case(outsider, c.reference)
    # The company complained about sees nothing before admissibility is decided...
    assert not access.complaints_visible_to(world.member_a).exists()
    c = admit(world.committee_x, c)
    _case, role = access.get_case(world.member_a, c.reference)
    assert role == "company"
    with pytest.raises(access.CaseNotFoundError):
        move(world.member_a, c, "mediation")


def _sub_themes(world):
    """The covenant's own sub-themes under the OECD employment chapter."""
    from imvo.covenants.models import Theme

    # get_or_create: a transactional test before this one may have flushed the seeded chapters.
    employment, _new = Theme.objects.get_or_create(
        code="employment", covenant=None, defaults={"name_en": "Employment", "name_nl": "Werk"}
    )
    for code in ("living-wage", "health-safety", "freedom-of-association"):
        Theme.objects.create(
            code=code, name_en=code, name_nl=code, parent=employment, covenant=world.covenant_x
        )


def _three_cases(world):
    _sub_themes(world)
    wages = file(
        world,
        text="The owner withheld our wages for three months.",
        topics=["wages"],
        facility={"id": 7, "name": "Sunrise Knit", "country": "BD"},
        respondent=world.company_a,
    ).complaint
    safety = file(
        world,
        text="The fire exits on line 4 are locked at night.",
        topics=["safety"],
        facility={"id": 8, "name": "Delta Dyeing", "country": "PK"},
    ).complaint
    union = file(world, text="They fired Karim for joining the union.", topics=["union"]).complaint
    return wages, safety, union


def _refs(user, **query):
    qs = access.complaints_visible_to(user)
    return {r["c"].reference for r in access.filter_cases(user, qs, access.CaseFilter(**query))}


def test_case_list_filters_by_topic_country_state_and_text(world):
    wages, safety, union = _three_cases(world)
    cx = world.committee_x
    assert _refs(cx) == {wages.reference, safety.reference, union.reference}
    assert _refs(cx, theme="living-wage") == {wages.reference}
    assert _refs(cx, country="PK") == {safety.reference}
    move(world.secretariat_x, union, "acknowledged")
    assert _refs(cx, state="acknowledged") == {union.reference}
    # Text: in what the complainant wrote (decrypted for handlers), the location, the company.
    assert _refs(cx, text="FIRE EXITS") == {safety.reference}
    assert _refs(cx, text="sunrise") == {wages.reference}
    assert _refs(cx, text="Company A") == {wages.reference}
    assert _refs(cx, theme="living-wage", country="PK") == set()
    # The chapter finds every sub-theme under it.
    assert len(_refs(cx, theme="employment")) == 3


def test_text_search_never_reveals_content_to_the_company_or_a_recused_member(world):
    wages, _safety, _union = _three_cases(world)
    admit(world.committee_x, wages)
    # The company sees its case, but cannot find it by words of the complaint.
    assert _refs(world.member_a) == {wages.reference}
    assert _refs(world.member_a, text="withheld") == set()
    assert _refs(world.member_a, text=wages.reference) == {wages.reference}
    from imvo.complaints.services import committee

    committee.check_recuse(world.secretariat_x, wages, world.recused_committee_x, "conflict")
    assert _refs(world.recused_committee_x, text="withheld") == set()
    assert _refs(world.committee_x, text="withheld") == {wages.reference}


def test_case_list_page_filters_and_shows_topic_country_company_language(world, client):
    wages, safety, _union = _three_cases(world)
    client.force_login(world.committee_x)
    page = client.get("/complaints/cases/").content.decode()
    assert "Sunrise" not in page  # the location's name is on the case page only
    assert "Company A" in page and ">BD<" in page and ">PK<" in page
    code = "living-wage"
    page = client.get(f"/complaints/cases/?theme={code}").content.decode()
    assert wages.reference in page and safety.reference not in page
    assert f'<option value="{code}" selected>' in page
    page = client.get("/complaints/cases/?q=fire+exits&country=PK").content.decode()
    assert safety.reference in page and wages.reference not in page
    assert client.get("/complaints/cases/?country=%3Cscript%3E&theme=x").status_code == 200


def test_the_country_filter_names_countries_as_every_page_does(world):
    from django.utils import translation

    from imvo.complaints.models import Complaint

    for code in ("TW", "KR", "XK"):
        c = file(world).complaint
        Complaint.objects.filter(pk=c.pk).update(facility_country=code)
    with translation.override("en"):
        choices = access.country_choices(Complaint.objects.all())
    # core.countries' one display name: short common names, and Kosovo's XK.
    assert choices == [("XK", "Kosovo"), ("KR", "South Korea"), ("TW", "Taiwan")]
