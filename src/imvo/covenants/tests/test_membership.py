"""Joining: the online application, admission with an invitation, rejection, and
what the public page shows of suspension and withdrawal."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.test import Client

from imvo.accounts import invitations
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Adherence, MembershipApplication
from imvo.covenants.services import change_adherence, membership

pytestmark = pytest.mark.django_db


def _apply(covenant, name="Zeeland Linen B.V."):
    return membership.check_apply(
        covenant, name, "Ann de Wit", "Ann@Zeeland.example", conditions_accepted=True
    )


def test_admission_makes_a_party_from_the_start_date_and_invites_the_contact(world):
    app = _apply(world.covenant_x)
    admission = membership.check_admit(
        world.secretariat_x, app, date(2026, 1, 1), "https://imvo.example"
    )
    adh = admission.adherence
    assert (adh.organisation.name, adh.role, adh.status, adh.since) == (
        "Zeeland Linen B.V.", "party", "active", date(2026, 1, 1)
    )  # fmt: skip
    assert admission.invitation_link.startswith("https://imvo.example/accounts/invitation/")
    assert mail.outbox[-1].to == ["ann@zeeland.example"]
    # The link shown to the secretariat opens the same account the mail invites to
    # (its token may differ by the second it was made: both are valid).
    uid, token = admission.invitation_link.rstrip("/").split("/")[-2:]
    assert f"/accounts/invitation/{uid}/" in mail.outbox[-1].body
    invited = invitations.invited_user(uid, token)
    assert invited is not None and invited.organisation == adh.organisation
    app.refresh_from_db()
    assert app.status == MembershipApplication.Status.ADMITTED
    with pytest.raises(DomainError, match="already decided"):
        membership.check_admit(world.secretariat_x, app, date(2026, 1, 1))


def test_an_application_needs_the_conditions_and_tells_nobody_of_another(world):
    """Applications are the secretariat's only: a second one in the same name is
    kept and answered like the first, where "an application for Zeeland Linen is
    already waiting" told anyone which organisations had applied (T46). Who
    takes part is public, so that refusal stays."""
    with pytest.raises(DomainError, match="conditions"):
        membership.check_apply(world.covenant_x, "X B.V.", "Ann", "a@x.example", False)
    first = _apply(world.covenant_x)
    second = _apply(world.covenant_x, "zeeland linen b.v.")
    assert second.pk != first.pk
    assert second.status == first.status == MembershipApplication.Status.PENDING
    page = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        f"/covenants/{world.covenant_x.slug}/apply/",
        {
            "organisation_name": "Zeeland Linen B.V.",
            "organisation_type": "company",
            "country": "NL",
            "contact_name": "Eve",
            "contact_email": "eve@example.org",
            "conditions_accepted": "on",
        },
    )
    assert "Application received" in page.content.decode()
    assert membership.applications_visible_to(world.secretariat_x, world.covenant_x).count() == 3
    with pytest.raises(DomainError, match="already takes part"):
        _apply(world.covenant_x, "Company A")


def test_rejection_needs_a_reason_and_only_the_secretariat_decides(world):
    app = _apply(world.covenant_x)
    with pytest.raises(PermissionDeniedError):
        membership.check_reject(world.secretariat_y, app, "no")
    with pytest.raises(DomainError, match="reason"):
        membership.check_reject(world.secretariat_x, app, " ")
    membership.check_reject(world.secretariat_x, app, "Not in the sector.")
    assert not membership.applications_visible_to(world.member_a, world.covenant_x).exists()


def test_public_page_shows_suspension_with_date_and_reason_and_moves_the_withdrawn(world):
    a = Adherence.objects.get(covenant=world.covenant_x, organisation=world.company_a)
    b = Adherence.objects.get(covenant=world.covenant_x, organisation=world.company_b)
    change_adherence(world.secretariat_x, a, "suspended", date(2026, 2, 3), "No action plan.")
    change_adherence(world.secretariat_x, b, "withdrawn", date(2026, 3, 4), "Left the sector.")
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/covenants/{world.covenant_x.slug}/").content
    page = html.decode()
    parties, former = page.split("Former parties")
    assert "Company A" in parties and "No action plan." in parties and "2026" in parties
    assert "Company B" not in parties
    assert "Company B" in former and "Left the sector." in former


def test_a_former_member_rejoins_on_the_same_adherence_with_its_history_kept(world):
    world.company_b.slug = "company-b"  # admission finds the organisation by its name's slug
    world.company_b.save()
    left = Adherence.objects.get(covenant=world.covenant_x, organisation=world.company_b)
    change_adherence(world.secretariat_x, left, "withdrawn", date(2025, 6, 1), "Left the sector.")
    app = _apply(world.covenant_x, name=world.company_b.name)
    adh = membership.check_admit(world.secretariat_x, app, date(2026, 2, 1)).adherence
    assert adh.pk == left.pk
    adh.refresh_from_db()
    assert (adh.role, adh.status, adh.since, adh.until) == (
        "party",
        "active",
        date(2026, 2, 1),
        None,
    )
    last = adh.changes.order_by("-id").first()
    assert last is not None
    assert (last.date, last.from_status, last.to_status, last.by) == (
        date(2026, 2, 1), "withdrawn", "active", world.secretariat_x
    )  # fmt: skip
    assert last.reason == f"Admitted on application {app.pk}."
    assert [c.to_status for c in adh.changes.order_by("id")][-2:] == ["withdrawn", "active"]


def test_an_application_in_an_existing_members_name_gives_the_applicant_no_account_in_it(world):
    """Covenant names and their parties are public: anyone can apply to covenant Y
    under the name of company A, a member of X, with their own address. Admitting
    the application used to invite that address into company A's organisation,
    and the account read A's supplier lists, submissions and complaint cases in
    every covenant. An existing organisation now takes part through its own
    people's accounts; its applicant's contact gets no account, and the decision
    page says the organisation is already on the platform before the secretariat
    decides (docs/security.md, T42)."""
    from imvo.accounts.models import User

    world.company_a.slug = "company-a"  # admission finds the organisation by its name's slug
    world.company_a.save()
    app = membership.check_apply(
        world.covenant_y, "company a", "Eve", "eve@attacker.example", conditions_accepted=True
    )
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(world.secretariat_y)
    url = f"/manage/{world.covenant_y.slug}/applications/{app.pk}/"
    assert "already on the platform" in page.get(url).content.decode()

    sent = len(mail.outbox)
    admission = membership.check_admit(world.secretariat_y, app, date(2026, 1, 1), "https://x")
    assert admission.adherence.organisation == world.company_a
    assert admission.invitation_link == ""
    assert len(mail.outbox) == sent
    assert not User.objects.filter(email="eve@attacker.example").exists()
    # A new organisation's contact is still invited (the test above).
