"""The committee: declared seats, and recusal that keeps a member out of the case."""

import pytest

from imvo.accounts.testing import make_user
from imvo.complaints.grants import grants_for
from imvo.complaints.models import AuditEntry
from imvo.complaints.services import access, committee
from imvo.complaints.tests.helpers import blocked_case, case_action, file, move
from imvo.core.errors import DomainError, PermissionDeniedError


def test_recused_member_cannot_open_case(world):
    c = file(world).complaint
    committee.check_recuse(world.secretariat_x, c, world.recused_committee_x, "Works for company A")
    with pytest.raises(PermissionDeniedError, match="recused"):
        access.get_case(world.recused_committee_x, c.reference)
    with pytest.raises(PermissionDeniedError):
        move(world.recused_committee_x, c, "acknowledged")
    assert access.get_case(world.committee_x, c.reference)[1] == "committee"
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
    assert "Complaints committee granted" in page and "Platform administration granted" in page
    assert f"Complaints committee granted: Account without a name (no. {world.admin.pk})" in page


def test_a_substitute_appointed_by_the_secretariat_unblocks_the_case(world, mailoutbox):
    world.secretariat_x.email = "sec@example.org"
    world.secretariat_x.save()
    c = blocked_case(world, respondent=world.company_a)
    # The secretariat is told, by the case reference only.
    (mail,) = [m for m in mailoutbox if "substitute" in m.subject]
    assert mail.to == ["sec@example.org"] and c.reference in mail.subject
    assert "Former employer" not in mail.body and "recused_committee_x" not in mail.body
    with pytest.raises(DomainError, match="blocked"):
        move(world.committee_x, c, "admissible")
    sub = make_user("substitute_z")
    # Only the secretariat appoints; the committee and the company cannot.
    with pytest.raises(PermissionDeniedError, match="Only the covenant's secretariat"):
        committee.check_appoint_substitute(world.committee_x, c, sub, "Second member needed")
    with pytest.raises(access.CaseNotFoundError):
        committee.check_appoint_substitute(world.secretariat_y, c, sub, "Second member needed")
    # Not someone recused, already free, or of the company complained about.
    for wrong, why in (
        (world.recused_committee_x, "is recused"),
        (world.committee_x, "can already act"),
        (world.member_a, "company complained about"),
    ):
        with pytest.raises(DomainError, match=why):
            committee.check_appoint_substitute(world.secretariat_x, c, wrong, "Needed here")
    assert not access.complaints_visible_to(sub).exists()
    committee.check_appoint_substitute(world.secretariat_x, c, sub, "Second member needed")
    assert committee.quorum_shortfall(c) == 0
    actions = list(
        AuditEntry.objects.filter(complaint_id_ref=c.pk).values_list("action", flat=True)
    )
    assert actions[-2:] == ["substitute-appointed", "quorum-restored"]
    # The grant is listed on the committee page with the other role grants.
    assert any(g.action == "substitute-appointed" for g in grants_for(c.covenant_id))
    # The substitute acts on this case only, as a committee member.
    assert list(access.complaints_visible_to(sub)) == [c]
    assert access.role_in_case(sub, c) == "committee"
    c = move(world.committee_x, c, "admissible")
    other = file(world).complaint
    with pytest.raises(access.CaseNotFoundError):
        access.get_case(sub, other.reference)


def test_a_substitute_decides_the_appeal_when_the_other_member_is_recused(world):
    c = blocked_case(world, respondent=world.company_a)
    sub = make_user("substitute_z")
    committee.check_appoint_substitute(world.secretariat_x, c, sub, "Second member needed")
    c = move(world.committee_x, c, "admissible")
    c = move(world.committee_x, c, "investigation")
    c = move(world.committee_x, c, "decision", decision_text="Pay the wages owed.")
    c = move(world.committee_x, c, "appeal")
    with pytest.raises(DomainError, match="took no part"):
        move(world.committee_x, c, "decision", decision_text="Upheld.")
    c = move(sub, c, "decision", decision_text="Upheld, and overtime is added.")
    assert c.transitions.last().by == sub


def test_blocked_case_page_appoints_a_substitute_and_the_covenant_page_counts_it(world, client):
    c = blocked_case(world, respondent=world.company_a)
    from imvo.complaints.followup import follow_ups

    blocked = {f.label: f.count for f in follow_ups(c.covenant)}
    assert blocked["Complaint cases blocked until a substitute is appointed"] == 1
    sub = make_user("substitute_z", world.company_b, first_name="Eva", last_name="Smit")
    client.force_login(world.secretariat_x)
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    assert 'id="blocked"' in page and 'id="substitute"' in page
    assert f'<option value="{sub.pk}">Eva Smit (Company B)</option>' in page
    r = case_action(client, c, "substitute", substitute="nobody", reason="Needed here")
    assert "Choose an active account as the substitute." in r.content.decode()
    r = case_action(client, c, "substitute", substitute=sub.pk, reason="Needed here")
    assert r.status_code == 302
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    assert 'id="blocked"' not in page and "Eva Smit" in page  # by name, not log-in name
    assert {f.label: f.count for f in follow_ups(c.covenant)}[
        "Complaint cases blocked until a substitute is appointed"
    ] == 0
    page = client.get(f"/complaints/committee/{c.covenant.slug}/").content.decode()
    assert "Substitute member appointed: Eva Smit" in page and "substitute_z" not in page
    # The committee member sees the substitute but no form to appoint one.
    client.force_login(world.committee_x)
    assert 'id="substitute"' not in client.get(f"/complaints/cases/{c.reference}/").content.decode()
