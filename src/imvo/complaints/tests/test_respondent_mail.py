"""A member the committee names is told by e-mail once, when it may first see the
case, and the mail does not identify the complainant (services/respondents.py)."""

import json

from django.core import mail

from imvo.accounts.testing import make_user
from imvo.complaints.models import AuditEntry, RespondentNaming
from imvo.complaints.services import respondents
from imvo.complaints.tests.helpers import assign_officer, file, move
from imvo.testing import adhere, make_org

WHY = "Its 2025 supplier list names the factory the workers describe."
NAME = "Ayesha Rahman"
CONTACT = "ayesha.worker@example.org"


def in_review(world):
    c = file(world, "Overtime unpaid at the dyeing unit.", name=NAME, contact=CONTACT).complaint
    c = move(world.secretariat_x, c, "acknowledged")
    return move(world.secretariat_x, assign_officer(c), "admissibility")


def mails_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_named_member_is_told_only_when_it_may_see_the_case(world):
    d = make_org("Company D")
    adhere(world.covenant_x, d)
    make_user("member_d1", d, email="d1@company-d.example")
    make_user("member_d2", d, email="d2@company-d.example")
    make_user("member_d3", d, email="d3@company-d.example", is_active=False)
    make_user("member_d4", d)  # no address
    c = in_review(world)
    mail.outbox.clear()
    respondents.check_name_respondents(world.committee_x, c, [d.pk], WHY)
    # In the admissibility review the member does not see the case: nothing sent.
    assert mail.outbox == []
    assert RespondentNaming.objects.get().notified_at is None

    move(world.committee_x, c, "admissible")
    assert sorted(m.to[0] for m in mail.outbox) == ["d1@company-d.example", "d2@company-d.example"]
    assert all(len(m.to) == 1 for m in mail.outbox)  # no one sees another's address
    m = mail.outbox[0]
    assert c.reference in m.subject and c.reference in m.body
    assert "as a respondent" in m.body and "als verweerder" in m.body  # English and Dutch
    for secret in (NAME, CONTACT, "Overtime", WHY, "Supplier list"):
        assert secret not in m.subject and secret not in m.body
    naming = RespondentNaming.objects.get()
    assert naming.notified_at is not None
    entry = AuditEntry.objects.get(action="respondent-told")
    assert json.loads(entry.detail) == {"organisation": d.pk, "recipients": 2}

    # Told once: later steps send nothing more.
    mail.outbox.clear()
    move(world.committee_x, c, "mediation")
    assert mail.outbox == []


def test_member_named_after_admissibility_is_told_at_once_others_are_not(world):
    d = make_org("Company D")
    adhere(world.covenant_x, d)
    make_user("member_d1", d, email="d1@company-d.example")
    world.member_b.email = "b@company-b.example"
    world.member_b.save()
    world.member_a.email = "a@company-a.example"
    world.member_a.save()
    c = in_review(world)
    respondents.check_name_respondents(world.committee_x, c, [world.company_b.pk], WHY)
    move(world.committee_x, c, "admissible")
    assert len(mails_to("b@company-b.example")) == 1
    mail.outbox.clear()
    respondents.check_name_respondents(world.committee_x, c, [d.pk], WHY + " Also D.")
    assert [m.to for m in mail.outbox] == [["d1@company-d.example"]]
    # The member named earlier is not told twice; the member never named never.
    assert not mails_to("b@company-b.example") and not mails_to("a@company-a.example")


def test_a_mail_server_that_is_down_leaves_the_member_to_be_told_later(world, monkeypatch):
    world.member_b.email = "b@company-b.example"
    world.member_b.save()
    c = in_review(world)
    respondents.check_name_respondents(world.committee_x, c, [world.company_b.pk], WHY)

    def down(*a, **kw):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(respondents, "send_mail", down)
    c = move(world.committee_x, c, "admissible")  # the step itself succeeds
    assert c.state == "admissible"
    assert RespondentNaming.objects.get().notified_at is None
    monkeypatch.undo()
    mail.outbox.clear()
    move(world.committee_x, c, "mediation")
    assert [m.to for m in mail.outbox] == [["b@company-b.example"]]
    assert RespondentNaming.objects.get().notified_at is not None
