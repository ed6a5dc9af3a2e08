"""Who sees which case: the committee and secretariat of its covenant, the company after admissibility."""

import pytest

from imvo.complaints.services import access, workflow
from imvo.complaints.tests.helpers import file


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
    workflow.check_move(world.secretariat_x, c, "acknowledged")
    workflow.check_move(world.secretariat_x, c, "admissibility")
    c = workflow.check_move(world.committee_x, c, "admissible", "ok")
    _case, role = access.get_case(world.member_a, c.pk)
    assert role == "company"
    with pytest.raises(access.CaseNotFoundError):
        workflow.check_move(world.member_a, c, "mediation")
