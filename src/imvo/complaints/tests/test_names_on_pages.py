"""The committee's pages name people by their names, never by their log-in names
(half of what signs them in, and every reader of a case would learn them)."""

from __future__ import annotations

import re

import pytest

from imvo.accounts.testing import make_user
from imvo.complaints.services import committee, translation, workflow
from imvo.complaints.tests.helpers import blocked_case
from imvo.core.errors import DomainError


def _named(user, first: str, last: str) -> None:
    user.first_name, user.last_name = first, last
    user.save()


def _visible_text(page: str) -> str:
    """The page as read and as picked from (option labels; the role grants too,
    which name people since T80)."""
    return re.sub(r'value="[^"]*"', "", page)


def test_the_case_page_names_members_officers_translators_and_authors(client, world) -> None:
    _named(world.committee_x, "Joost", "Bakker")
    _named(world.secretariat_x, "Sanne", "de Vries")
    c = blocked_case(world, language="bn")  # recused_committee_x has no name on file
    substitute = make_user("substitute_s", first_name="Eva", last_name="Smit")
    committee.check_appoint_substitute(world.secretariat_x, c, substitute, "Second member needed")
    workflow.check_post_message(world.committee_x, c, "Please send the payroll.")
    tr = make_user("translator_t", first_name="Amina", last_name="Rahman")
    translation.check_request_translation(world.secretariat_x, c, tr, "en")
    translation.check_add_translation(tr, c, None, "Our wages were not paid.")

    client.force_login(world.committee_x)
    page = _visible_text(client.get(f"/complaints/cases/{c.reference}/").content.decode())
    for login in ("committee_x", "recused_committee_x", "secretariat_x", "substitute_s",
                  "translator_t"):  # fmt: skip
        assert login not in page, login
    assert "<li>Joost Bakker</li>" in page  # the committee
    assert f"Recused: Account without a name (no. {world.recused_committee_x.pk})" in page
    assert ">Joost Bakker</option>" in page  # whom to record a recusal for
    assert "Substitute members on this case: Eva Smit" in page
    assert "<dd>Sanne de Vries</dd>" in page  # the case officer
    assert ">Sanne de Vries</option>" in page  # whom to assign
    assert "Amina Rahman → en" in page and "Translation (en) by Amina Rahman" in page
    assert "(Joost Bakker)" in page  # the message's author
    assert "· Sanne de Vries" in page  # who took a step, in the history


def test_the_committee_page_names_its_members(client, world) -> None:
    _named(world.committee_x, "Joost", "Bakker")
    client.force_login(world.secretariat_x)
    url = f"/complaints/committee/{world.covenant_x.slug}/"
    page = _visible_text(client.get(url).content.decode())
    assert "<td>Joost Bakker</td>" in page and ">Joost Bakker</option>" in page
    assert "committee_x" not in page


def test_a_refusal_names_the_person_not_the_account(world) -> None:
    _named(world.committee_x, "Joost", "Bakker")
    c = blocked_case(world)
    with pytest.raises(DomainError, match="Joost Bakker can already act on this case"):
        committee.check_appoint_substitute(world.secretariat_x, c, world.committee_x, "Needed")
