"""Location complaints forwarded to the members linked to the location, never revealing them."""

import re

import pytest

from imvo.complaints.services import access, forwarding, respondents, workflow
from imvo.complaints.tests.helpers import SECRET_TEXT, file
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
    _c, role = access.get_case(world.member_b, c.reference)
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
        _c, role = access.get_case(member, c.reference)
        assert "forwardings" not in workflow.case_view(member, c, role)


def _forwarded_world(world, monkeypatch):
    from imvo.accounts.testing import make_user

    monkeypatch.setattr(
        forwarding,
        "linked_organisations",
        lambda fid: [world.company_a, world.company_b, world.company_c],
    )
    world.member_a.email = "a@company-a.example"
    world.member_a.save()
    make_user("member_a2", world.company_a, email="a2@company-a.example")
    world.company_b.country = "DE"
    world.company_b.save()
    world.member_b.email = "b@company-b.example"
    world.member_b.save()
    world.member_c.email = "c@company-c.example"
    world.member_c.save()
    return file(
        world,
        SECRET_TEXT,
        name="Rahima Begum",
        contact="rahima@example.org",
        facility={"id": 77, "name": "Factory 77", "country": "BD"},
    ).complaint


def test_each_forwarded_member_is_told_once_in_its_language_and_not_of_the_others(
    world, monkeypatch
):
    from django.core import mail

    from imvo.complaints.models import AuditEntry, Forwarding

    c = _forwarded_world(world, monkeypatch)
    mail.outbox.clear()
    assert forwarding.check_forward_to_linked_members(world.secretariat_x, c) == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_to) == ["a2@company-a.example", "a@company-a.example", "b@company-b.example"]
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    dutch, english = by_to["a@company-a.example"], by_to["b@company-b.example"]
    assert "doorgestuurd" in dutch.body and c.reference in dutch.subject  # company A: NL
    assert "passed complaint" in english.body and c.reference in english.subject  # B: DE
    for m in mail.outbox:
        text = f"{m.subject} {m.body}"
        for secret in (SECRET_TEXT, "Rahima", "rahima@", "Factory 77", "Company A", "Company B"):
            assert secret not in text
        # Not how many members got it (the covenant's name and slug and the case
        # reference are set aside: a generated name may hold the digit).
        for own in (c.covenant.name, c.covenant.slug, c.reference):
            text = text.replace(own, "")
        assert not re.search(r"\b2\b", text)
    assert not Forwarding.objects.filter(notified_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="forwarding-told").count() == 2

    # Once: forwarding again, later steps and the daily job send nothing more.
    mail.outbox.clear()
    assert forwarding.check_forward_to_linked_members(world.secretariat_x, c) == 0
    respondents.tell_pending_respondents()
    assert mail.outbox == []


def test_a_forwarded_member_a_crashing_mail_backend_missed_is_told_by_the_daily_job(
    world, monkeypatch, settings
):
    from django.core import mail

    from imvo.complaints import jobs
    from imvo.complaints.models import Forwarding

    c = _forwarded_world(world, monkeypatch)
    settings.MAILERS = {
        "default": {"BACKEND": "imvo.complaints.tests.test_respondent_mail.RaisingBackend"}
    }
    assert forwarding.check_forward_to_linked_members(world.secretariat_x, c) == 2  # stored
    assert Forwarding.objects.filter(notified_at__isnull=True).count() == 2
    assert respondents.pending_respondent_cases().count() == 1
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    mail.outbox.clear()
    assert jobs.tell_respondents() == "3 mail(s) sent to respondent members not yet told"
    assert len(mail.outbox) == 3
    assert jobs.tell_respondents() == "0 mail(s) sent to respondent members not yet told"
    assert len(mail.outbox) == 3
