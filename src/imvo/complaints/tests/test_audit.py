"""The audit trail: a hash chain that any edit or removal breaks."""

import pytest
from django.db import connection

from imvo.complaints import audit
from imvo.complaints.models import AuditEntry
from imvo.complaints.services import access
from imvo.complaints.tests.helpers import assign_officer, file, move


def test_audit_trail_verifies_and_detects_tampering(world):
    c = file(world).complaint
    access.get_case(world.committee_x, c.reference)
    move(world.secretariat_x, c, "acknowledged")
    report = audit.verify_audit()
    assert report.ok and report.entries >= 3
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(seq=1).update(actor="x")
    first = AuditEntry.objects.first()
    assert first is not None
    with pytest.raises(PermissionError):
        first.delete()
    with connection.cursor() as cur:
        cur.execute("UPDATE complaints_auditentry SET actor = %s WHERE seq = 2", ["someone-else"])
    report = audit.verify_audit()
    assert not report.ok and any("entry 2: content changed" in p for p in report.problems)


def test_audit_trail_detects_removed_line(world):
    c = file(world).complaint
    c = move(world.secretariat_x, c, "acknowledged")
    assign_officer(c)
    move(world.secretariat_x, c, "admissibility")
    with connection.cursor() as cur:
        cur.execute("DELETE FROM complaints_auditentry WHERE seq = 2")
    report = audit.verify_audit()
    assert not report.ok and any("lines missing" in p for p in report.problems)
