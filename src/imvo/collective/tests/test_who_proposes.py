"""Only active member companies (and the secretariat) propose joint action (T67).

A proposer joins its own action and so sees every member that joins it. A union,
NGO or other party of the covenant, or a company that was suspended, would learn
that way which companies source in a country; so they cannot propose, the form
answers 404 and the joint-action page does not offer it.
"""

from __future__ import annotations

import pytest

from imvo.accounts.testing import make_user
from imvo.collective.models import JointAction
from imvo.collective.services import joint
from imvo.collective.tests.helpers import share_a_facility
from imvo.core.errors import PermissionDeniedError
from imvo.covenants.models import Adherence
from imvo.testing import adhere, make_org

pytestmark = pytest.mark.django_db


def test_a_union_party_cannot_propose_a_regional_action(world, client) -> None:
    shared = share_a_facility(world)
    adhere(world.covenant_x, shared.union.organisation)  # FNV is a party of covenant X
    with pytest.raises(PermissionDeniedError, match="member companies"):
        joint.check_propose(shared.union, world.covenant_x, "Wages in Bangladesh", country="BD")
    assert not JointAction.objects.exists()
    client.force_login(shared.union)
    assert client.get("/collective/propose/").status_code == 404
    response = client.post(
        "/collective/propose/",
        {"covenant": world.covenant_x.pk, "country": "BD", "title": "Wages"},
    )
    assert response.status_code == 404 and not JointAction.objects.exists()


def test_a_suspended_member_cannot_propose(world) -> None:
    shared = share_a_facility(world)
    Adherence.objects.filter(organisation=shared.company_d).update(
        status=Adherence.Status.SUSPENDED
    )
    with pytest.raises(PermissionDeniedError):
        joint.check_propose(
            shared.member_d, world.covenant_x, "Fire safety", facility_id=shared.facility.pk
        )
    assert not JointAction.objects.exists()


def test_the_page_offers_proposing_only_to_whom_may(world, client) -> None:
    share_a_facility(world)
    ngo = make_org("Arisa", type="ngo")
    adhere(world.covenant_x, ngo)
    client.force_login(make_user("ngo_user", ngo))
    assert "/collective/propose/" not in client.get("/collective/").content.decode()
    client.force_login(world.member_a)
    assert "/collective/propose/" in client.get("/collective/").content.decode()
    # A regional action's country is picked by its name in the reader's language.
    form = client.get("/collective/propose/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<option value="ET">Ethiopië</option>' in form
