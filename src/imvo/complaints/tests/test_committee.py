"""The committee: declared seats, and recusal that keeps a member out of the case."""

import pytest

from imvo.complaints.models import AuditEntry
from imvo.complaints.services import access, committee
from imvo.complaints.tests.helpers import file, move
from imvo.core.errors import DomainError, PermissionDeniedError


def test_recused_member_cannot_open_case(world):
    c = file(world).complaint
    committee.check_recuse(world.secretariat_x, c, world.recused_committee_x, "Works for company A")
    with pytest.raises(PermissionDeniedError, match="recused"):
        access.get_case(world.recused_committee_x, c.pk)
    with pytest.raises(PermissionDeniedError):
        move(world.recused_committee_x, c, "acknowledged")
    assert access.get_case(world.committee_x, c.pk)[1] == "committee"
    assert AuditEntry.objects.filter(action="refused-recused", actor="recused_committee_x").exists()


def test_declared_seat_needs_committee_role(world):
    m = committee.check_declare_seat(
        world.secretariat_x, world.covenant_x, world.committee_x, "chair"
    )
    assert m.seat == "chair"
    with pytest.raises(DomainError, match="not on this covenant"):
        committee.check_declare_seat(world.secretariat_x, world.covenant_x, world.member_a, "chair")
    with pytest.raises(PermissionDeniedError):
        committee.check_declare_seat(world.member_a, world.covenant_x, world.committee_x, "chair")


def test_every_role_grant_is_in_the_audit_trail_and_on_the_committee_page(client, world):
    from imvo.accounts import services as roles

    roles.grant_role(world.admin, world.covenant_x, "committee")
    world.member_b.is_superuser = True
    world.member_b.save()
    granted = AuditEntry.objects.filter(action="role-granted", detail__contains='"admin"')
    assert granted.exists() and AuditEntry.objects.filter(action="admin-granted").exists()
    client.force_login(world.committee_x)
    page = client.get(f"/complaints/committee/{world.covenant_x.slug}/").content.decode()
    assert "role-granted" in page and "admin-granted" in page
    assert "&quot;member&quot;: &quot;admin&quot;" in page
