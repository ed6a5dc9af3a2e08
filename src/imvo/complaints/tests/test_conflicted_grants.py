"""A case-bound grant (a substitute member, a translator) ends for a person whose
company becomes a party to the case: named as a respondent later, or sent the
case as a buyer of the location. Before, the substitute kept the committee's
view, with the complainant's name and contact, while their employer answered
the complaint (docs/security.md, T71)."""

import pytest

from imvo.accounts.testing import make_user
from imvo.complaints.models import Forwarding
from imvo.complaints.services import access, committee, respondents, translation
from imvo.complaints.tests.helpers import blocked_case, file, move
from imvo.core.errors import DomainError

pytestmark = pytest.mark.django_db

WHY = "The supplier's records show Company B buys at this factory too."
NAME = "Rahima Begum"


def _case(world):
    return blocked_case(
        world,
        respondent=world.company_a,
        anonymous=False,
        name=NAME,
        contact="+880 1711 000000",
    )


def test_a_substitute_whose_company_is_named_later_no_longer_sits_on_the_case(client, world):
    c = _case(world)
    sub = world.member_b  # Company B: not complained about when appointed
    committee.check_appoint_substitute(world.secretariat_x, c, sub, "Second member needed")
    client.force_login(sub)
    assert NAME in client.get(f"/complaints/cases/{c.reference}/").content.decode()

    respondents.check_name_respondents(world.committee_x, c, [world.company_b.pk], WHY)
    assert access.role_in_case(sub, c) != "committee"
    page = client.get(f"/complaints/cases/{c.reference}/")
    assert NAME not in page.content.decode()
    rows = access.case_rows(sub, access.complaints_visible_to(sub))
    assert all(r["role"] != "committee" for r in rows)


def test_a_translator_whose_company_is_named_no_longer_translates(world):
    """Named while admissibility is still open the company itself sees nothing
    yet; its employee bound as translator read on."""
    c = move(world.secretariat_x, file(world, respondent=world.company_a).complaint, "acknowledged")
    person = world.member_b
    translation.check_request_translation(world.secretariat_x, c, person, "nl")
    assert access.role_in_case(person, c) == "translator"
    respondents.check_name_respondents(world.committee_x, c, [world.company_b.pk], WHY)
    assert access.role_in_case(person, c) is None
    assert not access.case_rows(person, access.complaints_visible_to(person))
    with pytest.raises(access.CaseNotFoundError):
        access.get_case(person, c.reference)


def test_a_buyer_the_case_was_sent_to_is_not_appointed(world):
    c = _case(world)
    Forwarding.objects.create(complaint=c, organisation=world.company_b)
    with pytest.raises(DomainError, match="party to this case"):
        committee.check_appoint_substitute(world.secretariat_x, c, world.member_b, "Needed here")
    with pytest.raises(DomainError, match="party to this case"):
        translation.check_request_translation(world.secretariat_x, c, world.member_b, "nl")
    # Someone of no company party is appointed as before.
    outsider = make_user("outsider_translator")
    translation.check_request_translation(world.secretariat_x, c, outsider, "nl")
    assert access.role_in_case(outsider, c) == "translator"
