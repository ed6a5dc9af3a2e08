"""A member the committee names is told by e-mail once, when it may first see the
case, and the mail does not identify the complainant (services/respondents.py)."""

import json
from typing import Any

import pytest
from django.core import mail
from django.db.models import QuerySet
from django.utils import timezone

from imvo.accounts.testing import make_user
from imvo.complaints import jobs
from imvo.complaints.models import AuditEntry, RespondentNaming
from imvo.complaints.services import respondents
from imvo.complaints.tests.helpers import assign_officer, file, move
from imvo.core.tests.serving import free_port
from imvo.settings import _mailer
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
    assert "is a respondent" in m.body and "is verweerder" in m.body  # English and Dutch
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


class SMTPServer:
    """A real SMTP server on this machine (aiosmtpd) that keeps what it received."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.received: list[Any] = []
        server = self

        class Handler:
            async def handle_DATA(self, _server, _session, envelope):
                server.received.append(envelope)
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.controller.port}"

    def recipients(self):
        return sorted(r for e in self.received for r in e.rcpt_tos)


def test_a_mail_server_that_is_down_leaves_members_pending_for_the_daily_retry(world, settings):
    """Django's SMTP backend against a port where no server listens, then against a
    real SMTP server: the step succeeds while the server is down, the daily job
    fails loudly and sends nothing, then tells every pending member once; a second
    run and later steps send nothing more."""
    world.member_a.email = "a@company-a.example"
    world.member_a.save()
    world.member_b.email = "b@company-b.example"
    world.member_b.save()
    against_a = file(world, "Overtime unpaid.", respondent=world.company_a).complaint
    against_a = move(world.secretariat_x, against_a, "acknowledged")
    against_a = move(world.secretariat_x, assign_officer(against_a), "admissibility")
    unnamed = in_review(world)
    respondents.check_name_respondents(world.committee_x, unnamed, [world.company_b.pk], WHY)

    settings.MAILERS = {"default": _mailer(f"smtp://127.0.0.1:{free_port()}")}  # nobody there
    against_a = move(world.committee_x, against_a, "admissible")  # the steps succeed
    unnamed = move(world.committee_x, unnamed, "admissible")
    assert against_a.state == unnamed.state == "admissible"
    assert respondents.pending_respondent_cases().count() == 2
    with pytest.raises(RuntimeError, match="2 case"):
        jobs.tell_respondents()  # the run is marked failed on /health/
    against_a.refresh_from_db()
    assert against_a.respondent_told_at is None
    assert RespondentNaming.objects.get().notified_at is None
    assert not AuditEntry.objects.filter(action="respondent-told").exists()

    with SMTPServer() as server:
        settings.MAILERS = {"default": _mailer(server.url)}
        assert jobs.tell_respondents() == "2 mail(s) sent to respondent members not yet told"
        assert server.recipients() == ["a@company-a.example", "b@company-b.example"]
        subjects = {e.rcpt_tos[0]: e.content.decode() for e in server.received}
        assert against_a.reference in subjects["a@company-a.example"]
        assert unnamed.reference in subjects["b@company-b.example"]
        # Idempotent: a second run, another step, another naming step send nothing more.
        assert jobs.tell_respondents() == "0 mail(s) sent to respondent members not yet told"
        move(world.committee_x, against_a, "mediation")
        move(world.committee_x, unnamed, "mediation")
        assert server.recipients() == ["a@company-a.example", "b@company-b.example"]
    assert AuditEntry.objects.filter(action="respondent-told").count() == 2
    assert respondents.pending_respondent_cases().count() == 0


def test_a_member_being_told_by_another_run_is_not_told_again(world):
    """The claim: a member whose mark another run has set (it is sending now) gets
    nothing from this run."""
    world.member_b.email = "b@company-b.example"
    world.member_b.save()
    c = in_review(world)
    respondents.check_name_respondents(world.committee_x, c, [world.company_b.pk], WHY)
    RespondentNaming.objects.update(notified_at=timezone.now())  # another run's claim
    move(world.committee_x, c, "admissible")
    assert respondents.tell_respondents(c) == 0
    assert mails_to("b@company-b.example") == []


def test_the_member_named_at_filing_is_told_once_when_admissibility_is_decided(world):
    """The member the complainant named is a respondent like one the committee
    names later: the same mail, once, when it may first see the case."""
    world.member_a.email = "a@company-a.example"
    world.member_a.save()
    filed = file(world, "Overtime unpaid.", name=NAME, contact=CONTACT, respondent=world.company_a)
    c = move(world.secretariat_x, filed.complaint, "acknowledged")
    c = move(world.secretariat_x, assign_officer(c), "admissibility")
    assert mails_to("a@company-a.example") == []  # it does not see the case yet
    move(world.committee_x, c, "admissible")
    (m,) = mails_to("a@company-a.example")
    assert m.to == ["a@company-a.example"] and c.reference in m.subject
    assert "respondent" in m.body and "verweerder" in m.body  # English and Dutch
    for secret in (NAME, CONTACT, "Overtime"):
        assert secret not in m.subject and secret not in m.body
    entry = AuditEntry.objects.get(action="respondent-told")
    assert json.loads(entry.detail) == {"organisation": world.company_a.pk, "recipients": 1}
    mail.outbox.clear()
    move(world.committee_x, c, "mediation")
    respondents.tell_pending_respondents()  # the daily retry finds nothing to send
    assert mail.outbox == []


def test_the_member_named_at_filing_is_told_of_an_inadmissibility_ruling_too(world):
    world.member_a.email = "a@company-a.example"
    world.member_a.save()
    c = file(world, respondent=world.company_a).complaint
    c = move(world.secretariat_x, c, "acknowledged")
    c = move(world.secretariat_x, assign_officer(c), "admissibility")
    move(world.committee_x, c, "inadmissible", ground="not_member")
    assert [m.to for m in mails_to("a@company-a.example")] == [["a@company-a.example"]]


class RaisingBackend:
    """A mail backend whose every send raises (a crashing mail library, a full
    disk under a file backend): not an OSError, so nothing catches it by type."""

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise RuntimeError("the mail library crashed")


RAISING = {"default": {"BACKEND": f"{__name__}.RaisingBackend"}}
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def test_a_send_that_raises_leaves_the_member_pending_and_the_next_run_tells_it_once(
    world, settings
):
    """The mark is written with a send that went out, never before: a backend
    that raises while sending leaves the member untold and pending, the next run
    tells it, and the run after that sends nothing more."""
    world.member_b.email = "b@company-b.example"
    world.member_b.save()
    c = in_review(world)
    respondents.check_name_respondents(world.committee_x, c, [world.company_b.pk], WHY)
    settings.MAILERS = RAISING
    c = move(world.committee_x, c, "admissible")  # the step itself succeeds
    naming = RespondentNaming.objects.get()
    assert naming.notified_at is None  # not marked: it was never told
    assert not AuditEntry.objects.filter(action="respondent-told").exists()
    with pytest.raises(RuntimeError, match="1 case"):
        jobs.tell_respondents()
    assert RespondentNaming.objects.get().notified_at is None

    settings.MAILERS = LOCMEM
    mail.outbox.clear()
    assert jobs.tell_respondents() == "1 mail(s) sent to respondent members not yet told"
    assert [m.to for m in mail.outbox] == [["b@company-b.example"]]
    assert RespondentNaming.objects.get().notified_at is not None
    assert jobs.tell_respondents() == "0 mail(s) sent to respondent members not yet told"
    move(world.committee_x, c, "mediation")
    assert len(mail.outbox) == 1


def test_a_member_whose_row_another_run_holds_is_skipped(world, monkeypatch):
    """The lock: while another run holds the member's row (it is sending), this
    run's `select_for_update(skip_locked)` finds nothing and sends nothing."""
    world.member_b.email = "b@company-b.example"
    world.member_b.save()
    c = in_review(world)
    respondents.check_name_respondents(world.committee_x, c, [world.company_b.pk], WHY)
    calls = []
    real = QuerySet.select_for_update

    def held(self, *args, **kwargs):
        locked = real(self, *args, **kwargs)
        if self.model is not RespondentNaming:
            return locked  # the step's own lock of the case
        calls.append(kwargs)
        return locked.none()  # what skip_locked gives for a held row

    monkeypatch.setattr(QuerySet, "select_for_update", held)
    move(world.committee_x, c, "admissible")
    assert calls and all(k == {"skip_locked": True} for k in calls)
    assert mails_to("b@company-b.example") == []
    assert RespondentNaming.objects.get().notified_at is None  # the holder marks it
