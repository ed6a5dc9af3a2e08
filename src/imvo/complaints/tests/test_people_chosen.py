"""People are named, never shown or asked for by their log-in names (docs/security.md
T80): a removed account in a case's history, the committee page's role grants,
and the substitute and translator chosen by name from the people who may be
chosen, never from a list of every account."""

from __future__ import annotations

import re

import pytest

from imvo.accounts import services as roles
from imvo.accounts.testing import make_user
from imvo.complaints.models import Substitute
from imvo.complaints.services import people, respondents, translation
from imvo.complaints.tests.helpers import assign_officer, blocked_case, case_action, file, move
from imvo.testing import adhere, make_covenant, make_org

pytestmark = pytest.mark.django_db

WHY = "Its 2025 supplier list names the factory the workers describe."


def _named(user, first: str, last: str) -> None:
    user.first_name, user.last_name = first, last
    user.save()


def _options(page: str, select_id: str) -> dict[str, str]:
    block = re.search(rf'<select id="{select_id}".*?</select>', page, flags=re.S)
    assert block, select_id
    return dict(re.findall(r'<option value="(\d+)">([^<]*)</option>', block.group(0)))


def test_a_removed_account_is_a_former_user_in_the_case_history(client, world) -> None:
    leaving = make_user("leaving_member_l", first_name="Piet", last_name="Jansen")
    roles.grant_role(leaving, world.covenant_x, "committee")
    c = move(leaving, file(world).complaint, "acknowledged")
    c = move(world.secretariat_x, assign_officer(c), "admissibility")
    respondents.check_name_respondents(leaving, c, [world.company_b.pk], WHY)
    leaving.delete()

    client.force_login(world.committee_x)
    r = client.get(f"/complaints/cases/{c.reference}/")
    assert r.status_code == 200
    page = r.content.decode()
    assert "leaving_member_l" not in page  # the log-in name kept with the step
    history = re.search(r'<ol class="timeline" id="history">.*?</ol>', page, flags=re.S)
    assert history and "· Former user" in history.group(0)
    namings = re.search(r'<ul id="namings">.*?</ul>', page, flags=re.S)
    assert namings and "named by Former user" in namings.group(0)
    # The committee page lists the removed member's grant and its end by that word too.
    page = client.get(f"/complaints/committee/{world.covenant_x.slug}/").content.decode()
    assert "leaving_member_l" not in page
    grants = re.search(r'<ul id="grants">.*?</ul>', page, flags=re.S)
    assert grants and "Former user" in grants.group(0)


def test_the_role_grants_name_people_not_accounts(client, world) -> None:
    _named(world.committee_x, "Joost", "Bakker")
    _named(world.admin, "Ada", "Beheer")
    roles.grant_role(world.admin, world.covenant_x, "committee")
    world.member_b.is_superuser = True
    world.member_b.save()
    c = blocked_case(world, respondent=world.company_a)
    translator = make_user("translator_t", world.company_b, first_name="Amina", last_name="Rahman")
    translation.check_request_translation(world.secretariat_x, c, translator, "nl")
    client.force_login(world.committee_x)
    page = client.get(f"/complaints/committee/{world.covenant_x.slug}/").content.decode()
    grants = re.search(r'<ul id="grants">.*?</ul>', page, flags=re.S)
    assert grants
    text = grants.group(0)
    for login in ("admin", "member_b", "translator_t", "committee_x"):
        assert not re.search(rf"\b{login}\b", text), login
    assert "&quot;" not in text  # no raw audit detail
    assert "Ada Beheer" in text and "Amina Rahman" in text
    assert f"Account without a name (no. {world.member_b.pk})" in text
    assert "Complaints committee granted" in text and "Translator granted" in text
    assert "Platform administration granted" in text


def test_substitutes_are_chosen_by_name_from_those_who_may_sit(client, world) -> None:
    _named(world.committee_x, "Joost", "Bakker")
    c = blocked_case(world, respondent=world.company_a)
    # Company B's person may sit (no party to the case); A's may not; another
    # covenant's people and accounts of no covenant are never listed.
    sub = make_user("substitute_b", world.company_b, first_name="Eva", last_name="Smit")
    make_user("member_a2", world.company_a, first_name="Kees", last_name="Respondent")
    make_user("member_c2", world.company_c, first_name="Carla", last_name="Elders")
    make_user("stranger", first_name="Sam", last_name="Nobody")
    client.force_login(world.secretariat_x)
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    options = _options(page, "id_substitute")
    assert options[str(sub.pk)] == "Eva Smit (Company B)"
    names = " ".join(options.values())
    for absent in ("Kees", "Carla", "Sam", "Joost", "recused_committee_x", "member_a"):
        assert absent not in names, absent
    # An account outside the list is refused with one sentence, whoever it is.
    for pk in (world.member_c.pk, world.committee_x.pk, 999999, "stranger"):
        r = case_action(client, c, "substitute", substitute=pk, reason="Second member needed")
        assert r.status_code == 400
        assert "Choose an active account as the substitute." in r.content.decode()
    assert not Substitute.objects.exists()
    r = case_action(client, c, "substitute", substitute=sub.pk, reason="Second member needed")
    assert r.status_code == 302 and Substitute.objects.get().user == sub


def test_translators_are_chosen_by_name_and_a_committee_member_sees_no_staff(client, world) -> None:
    _named(world.secretariat_x, "Sanne", "de Vries")
    c = move(world.secretariat_x, file(world, respondent=world.company_a).complaint, "acknowledged")
    staff = make_user("staff_b", world.company_b, first_name="Eva", last_name="Smit")
    other_covenant = make_covenant(slug="covenant-z")
    outsider = make_org("Company Z")
    adhere(other_covenant, outsider)
    make_user("staff_z", outsider, first_name="Zara", last_name="Elders")
    client.force_login(world.secretariat_x)
    options = _options(
        client.get(f"/complaints/cases/{c.reference}/").content.decode(), "id_translator"
    )
    assert "Eva Smit (Company B)" in options.values()
    assert not any("Zara" in v or "member_a" in v for v in options.values())
    # A committee member binding a translator picks from the covenant's committee
    # and secretariat, never from the member companies' people.
    client.force_login(world.committee_x)
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    options = _options(page, "id_translator")
    assert "Sanne de Vries" in options.values()
    assert not any("Eva" in v or "Company" in v for v in options.values())
    r = case_action(client, c, "request_translation", translator=staff.pk, language="nl")
    assert "Choose an active account as the translator." in r.content.decode()
    # Once bound by the secretariat, the person is listed on the committee page,
    # and so may be chosen again by the committee.
    translation.check_request_translation(world.secretariat_x, c, staff, "nl")
    assert staff in people.translator_choices(world.committee_x, c)
