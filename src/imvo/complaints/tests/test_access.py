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
            access.get_case(outsider, c.pk)
    # The company complained about sees nothing before admissibility is decided...
    assert not access.complaints_visible_to(world.member_a).exists()
    c = admit(world.committee_x, c)
    _case, role = access.get_case(world.member_a, c.pk)
    assert role == "company"
    with pytest.raises(access.CaseNotFoundError):
        move(world.member_a, c, "mediation")
