"""Naming a verifier tells a member nothing about who has an account.

Any active member can propose a joint action (and so name its verifiers). The
refusal said "There is no active user x" for an unknown name and "not someone
of a member company" for a member company's person: user names are e-mail
addresses (invitations), so a member typed addresses and read who has an
account on the platform and who works at a member company, what the password
reset keeps to itself (O2). Both refusals now read the same (docs/security.md,
T72)."""

from __future__ import annotations

import pytest

from imvo.accounts.testing import make_user
from imvo.collective.services import cap, joint
from imvo.collective.tests.helpers import share_a_facility
from imvo.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _refusal(world, action, username: str) -> str:
    with pytest.raises(DomainError) as e:
        cap.check_name_verifier(world.member_a, action, username, "auditor")
    return str(e.value).replace(username, "NAME")


def test_an_unknown_name_and_a_member_companys_person_are_refused_alike(world):
    shared = share_a_facility(world)
    action = joint.check_propose(
        world.member_a, world.covenant_x, "Fire safety", "Locked exits",
        facility_id=shared.facility.pk, theme_code="health-safety",
    )  # fmt: skip
    in_c = make_user("someone@company-c.example", world.company_c)  # a member of covenant Y
    closed = make_user("closed@ngo.example")
    closed.is_active = False
    closed.save()
    refusals = {
        _refusal(world, action, name)
        for name in ("member_b", in_c.username, "nobody@nowhere.example", closed.username)
    }
    assert len(refusals) == 1, refusals
    assert "independent" in refusals.pop()
    # An independent person is still named.
    cap.check_name_verifier(world.member_a, action, shared.union.username, "union")


def test_the_action_page_names_a_verifier_never_by_log_in_name(client, world):
    shared = share_a_facility(world)
    action = joint.check_propose(
        world.member_a, world.covenant_x, "Fire safety", "Locked exits",
        facility_id=shared.facility.pk, theme_code="health-safety",
    )  # fmt: skip
    verifier = shared.union
    verifier.first_name = verifier.last_name = ""
    verifier.save()
    cap.check_name_verifier(world.member_a, action, verifier.username, "union")
    client.force_login(world.member_a)
    page = client.get(
        f"/collective/actions/{action.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert f"Account without a name (no. {verifier.pk})" in page
    assert verifier.username not in page
    verifier.first_name, verifier.last_name = "Rina", "Akter"
    verifier.save()
    page = client.get(
        f"/collective/actions/{action.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Rina Akter (" in page
