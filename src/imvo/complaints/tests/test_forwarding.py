"""Location complaints forwarded to the members linked to the location, never revealing them."""

import pytest

from imvo.complaints.services import access, forwarding, workflow
from imvo.complaints.tests.helpers import file
from imvo.core.errors import PermissionDeniedError


def test_location_complaint_forwarded_without_revealing_members(world, monkeypatch):
    monkeypatch.setattr(
        forwarding,
        "linked_organisations",
        lambda fid: [world.company_a, world.company_b, world.company_c],
    )
    c = file(world, facility={"id": 77, "name": "Factory 77", "country": "BD"}).complaint
    assert c.routed_to_secretariat
    with pytest.raises(PermissionDeniedError):
        forwarding.check_forward_to_linked_members(world.committee_x, c)
    assert (
        forwarding.check_forward_to_linked_members(world.secretariat_x, c) == 2
    )  # company C is in another covenant
    _c, role = access.get_case(world.member_b, c.pk)
    view = workflow.case_view(world.member_b, c, role)
    assert "forwardings" not in view  # B never learns A got it too
    assert not access.complaints_visible_to(world.member_c).exists()


def test_location_complaint_reaches_the_members_whose_lists_name_the_facility(world):
    """End to end with the real supply chain: lists uploaded, matched, complaint forwarded."""
    from imvo.supplychain import services as supply
    from imvo.supplychain.tests.helpers import factory_of_a_and_b_made_public

    # Searchable once the year's list is public (k members, published by the secretariat).
    factory = factory_of_a_and_b_made_public(world)
    [found] = [f for f in supply.public_facility_search("Dhaka Knit", covenant=world.covenant_x)]
    assert found["id"] == factory.pk and "members" not in found  # the public search names no buyer
    c = file(world, facility={"id": factory.pk, "name": factory.name, "country": "BD"}).complaint
    assert forwarding.check_forward_to_linked_members(world.secretariat_x, c) == 2
    for member in (world.member_a, world.member_b):
        _c, role = access.get_case(member, c.pk)
        assert "forwardings" not in workflow.case_view(member, c, role)
