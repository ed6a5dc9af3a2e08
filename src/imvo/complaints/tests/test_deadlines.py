"""Time limits: the overdue list and reminders that hold no case content."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from imvo.complaints.models import Complaint
from imvo.complaints.services import committee, deadlines
from imvo.complaints.tests.helpers import file
from imvo.core.tests.serving import free_port
from imvo.settings import _mailer


def test_overdue_report_and_reminders(world, mailoutbox):
    world.committee_x.email = "c@example.org"
    world.committee_x.save()
    world.recused_committee_x.email = "r@example.org"
    world.recused_committee_x.save()
    old = file(world).complaint
    Complaint.objects.filter(pk=old.pk).update(due=timezone.localdate() - timedelta(days=2))
    fresh = file(world).complaint
    committee.check_recuse(world.committee_x, old, world.recused_committee_x, "conflict")
    assert list(deadlines.overdue_cases(world.committee_x)) == [Complaint.objects.get(pk=old.pk)]
    assert not deadlines.overdue_cases(world.secretariat_y).exists()
    assert deadlines.do_send_reminders() == (1, 0)
    (mail,) = mailoutbox
    assert mail.to == ["c@example.org"] and "OVERDUE" in mail.subject
    assert "wages" not in mail.body.lower()
    assert fresh.pk != old.pk


def test_reminders_are_sent_once_per_case_and_day(world, mailoutbox):
    """`imvo jobs run complaints-reminders --now` twice the same day mails once;
    the next day the case is reminded again."""
    world.committee_x.email = "c@example.org"
    world.committee_x.save()
    case = file(world).complaint
    today = timezone.localdate()
    Complaint.objects.filter(pk=case.pk).update(due=today - timedelta(days=1))
    call_command("jobs", "run", "complaints-reminders", "--now")
    call_command("jobs", "run", "complaints-reminders", "--now")
    assert [m.to for m in mailoutbox] == [["c@example.org"]]
    assert deadlines.do_send_reminders(today=today) == (0, 0)
    assert deadlines.do_send_reminders(today=today + timedelta(days=1)) == (1, 0)
    assert len(mailoutbox) == 2


def test_a_reminder_that_could_not_be_sent_is_tried_again_the_same_day(world, mailoutbox, settings):
    world.committee_x.email = "c@example.org"
    world.committee_x.save()
    case = file(world).complaint
    Complaint.objects.filter(pk=case.pk).update(due=timezone.localdate())
    working = settings.MAILERS
    settings.MAILERS = {"default": _mailer(f"smtp://127.0.0.1:{free_port()}")}  # nobody there
    assert deadlines.do_send_reminders() == (0, 1)
    settings.MAILERS = working
    assert deadlines.do_send_reminders() == (1, 0)
    assert len(mailoutbox) == 1


def test_a_closed_account_gets_no_reminders(world, mailoutbox):
    """A committee member or case officer whose account was closed (left the
    committee, left the organisation) is mailed no case's reference, state or
    due date (docs/security.md, T63)."""
    from imvo.testing import make_secretariat

    world.committee_x.email = "c@example.org"
    world.committee_x.is_active = False
    world.committee_x.save()
    officer = make_secretariat(world.covenant_x, "officer_x", email="o@example.org")
    officer.is_active = False
    officer.save()
    case = file(world).complaint
    Complaint.objects.filter(pk=case.pk).update(
        due=timezone.localdate() - timedelta(days=1), case_officer=officer
    )
    deadlines.do_send_reminders()
    assert mailoutbox == []
    world.committee_x.is_active = True
    world.committee_x.save()
    assert deadlines.do_send_reminders(today=timezone.localdate() + timedelta(days=1)) == (1, 0)
    assert [m.to for m in mailoutbox] == [["c@example.org"]]
