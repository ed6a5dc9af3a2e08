"""A covenant role changed in place (the admin's inline edits the row: another
covenant, or committee for secretariat) is a grant like a new one: on the audit
trail and on the committee page of each covenant concerned (docs/security.md, T75)."""

from __future__ import annotations

import json

from imvo.accounts.models import CovenantRole
from imvo.complaints.grants import grants_for
from imvo.complaints.models import AuditEntry
from imvo.complaints.tests.helpers import file


def _grants(covenant) -> list[tuple[str, str, str]]:
    out = []
    for e in grants_for(covenant.pk):
        detail = json.loads(e.detail or "{}")
        out.append((e.action, str(detail.get("member", "")), str(detail.get("role", ""))))
    return out


def test_moving_a_role_to_another_covenant_is_written_as_a_grant(client, world) -> None:
    """Before: `role_saved` wrote only created rows. Y's secretariat role edited to
    covenant X opened X's complaints (the case list, every case) with nothing on
    X's committee page, and Y's page still showed the grant as standing."""
    (role,) = CovenantRole.objects.filter(user=world.secretariat_y)
    assert role.covenant_id == world.covenant_y.pk and role.role == "secretariat"
    c = file(world).complaint
    role.covenant = world.covenant_x
    role.save()
    from imvo.complaints.services import access

    assert access.get_case(world.secretariat_y, c.reference)[1] == "secretariat"
    assert ("role-granted", "secretariat_y", "secretariat") in _grants(world.covenant_x)
    assert ("role-revoked", "secretariat_y", "secretariat") in _grants(world.covenant_y)
    client.force_login(world.committee_x)
    page = client.get(f"/complaints/committee/{world.covenant_x.slug}/").content.decode()
    # Named as a person, never by the log-in name (docs/security.md, T80).
    who = f"Account without a name (no. {world.secretariat_y.pk})"
    assert f"Secretariat granted: {who}" in page and "secretariat_y" not in page

    # Secretariat made committee in place: the committee seat is granted, the other revoked.
    role.role = "committee"
    role.save()
    assert ("role-granted", "secretariat_y", "committee") in _grants(world.covenant_x)
    assert ("role-revoked", "secretariat_y", "secretariat") in _grants(world.covenant_x)
    # Saved unchanged: nothing written.
    before = AuditEntry.objects.count()
    role.save()
    assert AuditEntry.objects.count() == before
