"""What a branch organisation sees of its members' due-diligence submissions: nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from imvo.accounts.models import ApiToken
from imvo.accounts.testing import make_user
from imvo.duediligence.services import frameworks, submissions
from imvo.duediligence.tests.helpers import GARMENT_ANSWERS, answer_all
from imvo.testing import client_for, make_party

pytestmark = pytest.mark.django_db


def test_a_branch_does_not_see_whether_its_members_handed_in(world):
    """Decided (docs/parties.md, "Decided: a branch sees no submission status"):
    DESIGN.md gives a member's due-diligence submission to the member and the
    secretariat only, and does not name branch organisations; their place lists
    their members and sends reminders, nothing of a submission. Pinned here so
    that showing it is a deliberate change of that decision, not a side effect."""
    branch_org = make_party(world.covenant_x, "Modint", "branch")
    world.company_a.branch_organisations.add(branch_org)
    branch_user = make_user("modint", branch_org)
    frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "garment")
    sub = submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    answer_all(world.member_a, sub, GARMENT_ANSWERS)
    submissions.check_submit(world.member_a, sub)
    branch = client_for(branch_user, "en")
    assert branch.get(f"/due-diligence/submissions/{sub.pk}/").status_code == 404
    workspace = branch.get("/parties/").content.decode()
    assert "Company A" in workspace and "submitted" not in workspace.lower()
    _token, raw = ApiToken.issue(branch_user)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/due-diligence/submissions").json() == []
    assert api.get(f"/api/due-diligence/submissions/{sub.pk}").status_code == 404
