"""Time limits: the overdue list and reminders that hold no case content."""

from datetime import timedelta

from django.utils import timezone

from imvo.complaints.models import Complaint
from imvo.complaints.services import committee, deadlines
from imvo.complaints.tests.helpers import file


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
