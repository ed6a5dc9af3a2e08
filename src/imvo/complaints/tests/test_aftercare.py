"""After closure: the complainant is asked at 3 and 6 months whether the remedy
happened and whether they suffered retaliation; the answers feed the UNGP 31
figures and open a follow-up where needed."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from imvo.complaints import jobs
from imvo.complaints.followup import follow_ups
from imvo.complaints.models import AfterClosureCheck, AuditEntry
from imvo.complaints.services import aftercare, following
from imvo.complaints.services.figures import ungp31_figures
from imvo.complaints.tests.helpers import file, move, walk_to_decision
from imvo.core.errors import DomainError

FOLLOW_UP_LABEL = "Closed complaints needing a follow-up after the complainant's answer"


def _closed_with_remedy(world):
    filed = file(world)
    c = walk_to_decision(world.committee_x, filed.complaint, remedy=True)
    c = move(world.committee_x, c, "remediation")
    c = move(world.committee_x, c, "closed", ground="decided", remedy_carried_out=True)
    return filed.receipt, c


def test_months_after_keeps_the_day_or_takes_the_months_last():
    assert aftercare.months_after(date(2026, 1, 15), 3) == date(2026, 4, 15)
    assert aftercare.months_after(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert aftercare.months_after(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_the_job_asks_at_three_and_six_months_once(world):
    _receipt, c = _closed_with_remedy(world)
    closed_on = timezone.localtime(c.closed_at).date()
    assert aftercare.do_ask_due_checks(closed_on + timedelta(days=80)) == 0
    assert following.complainant_view(c)["after_closure"] is None
    three = aftercare.months_after(closed_on, 3)
    assert aftercare.do_ask_due_checks(three) == 1
    assert aftercare.do_ask_due_checks(three) == 0  # idempotent
    assert following.complainant_view(c)["after_closure"] == {"months": 3, "ask_remedy": True}
    assert aftercare.do_ask_due_checks(aftercare.months_after(closed_on, 6)) == 1
    assert list(c.after_closure_checks.values_list("months", flat=True)) == [3, 6]
    # The scheduled job runs it for today (nothing due yet for a case closed today).
    assert "0 after-closure" in jobs.ask_after_closure()


def test_answers_feed_the_figures_and_open_a_follow_up(world):
    _r1, good = _closed_with_remedy(world)
    _r2, bad = _closed_with_remedy(world)
    later = timezone.localdate() + timedelta(days=200)
    assert aftercare.do_ask_due_checks(later) == 4
    with pytest.raises(DomainError, match="whether the remedy happened"):
        aftercare.check_answer(good, "", "no")
    with pytest.raises(DomainError, match="punished or threatened"):
        aftercare.check_answer(good, "yes", "")
    aftercare.check_answer(good, "yes", "no")  # the 3-month question
    aftercare.check_answer(good, "yes", "no")  # then the 6-month one
    with pytest.raises(DomainError, match="no question waiting"):
        aftercare.check_answer(good, "yes", "no")
    chk = aftercare.check_answer(bad, "no", "yes", "The supervisor moved me to night shifts.")
    assert chk.follow_up_needed and chk.comment.startswith("The supervisor")
    assert "supervisor" not in AfterClosureCheck.objects.get(pk=chk.pk).comment_enc
    assert AuditEntry.objects.filter(
        action="after-closure-follow-up", complaint_id_ref=bad.pk
    ).exists()

    f = ungp31_figures(world.covenant_x, timezone.localdate().year)
    assert f["after_closure_answers"] == 3
    assert f["remedy_satisfaction_percent"] == 67  # 2 of 3 answers: the remedy happened
    assert f["retaliation_reports"] == 1 and f["cases_with_retaliation_reported"] == 1

    counts = {x.label: x.count for x in follow_ups(world.covenant_x)}
    assert counts[FOLLOW_UP_LABEL] == 1
    with pytest.raises(DomainError, match="what was done"):
        aftercare.check_record_follow_up(world.secretariat_x, bad, chk.pk, "ok")
    aftercare.check_record_follow_up(
        world.secretariat_x, bad, chk.pk, "Raised with the member; the shift change was reversed."
    )
    counts = {x.label: x.count for x in follow_ups(world.covenant_x)}
    assert counts[FOLLOW_UP_LABEL] == 0


def test_a_case_without_remedy_is_asked_about_retaliation_only(world):
    c = move(world.secretariat_x, file(world).complaint, "acknowledged")
    following.check_complainant_reply(c, "I found another job; I stop here.", withdraw=True)
    c = move(world.secretariat_x, c, "closed", ground="withdrawn")
    aftercare.do_ask_due_checks(timezone.localdate() + timedelta(days=100))
    assert following.complainant_view(c)["after_closure"] == {"months": 3, "ask_remedy": False}
    chk = aftercare.check_answer(c, "", "no")
    assert chk.remedy == "" and not chk.follow_up_needed


def test_follow_page_asks_and_the_case_page_shows_the_follow_up(world, client):
    receipt, c = _closed_with_remedy(world)
    aftercare.do_ask_due_checks(timezone.localdate() + timedelta(days=100))
    page = client.post("/complaints/follow/", {"receipt": receipt, "action": "show"})
    assert 'id="after-closure"' in page.content.decode()
    r = client.post(
        "/complaints/follow/",
        {"receipt": receipt, "action": "after_closure", "remedy": "partly"},
    )
    assert r.status_code == 400 and "punished or threatened" in r.content.decode()
    r = client.post(
        "/complaints/follow/",
        {"receipt": receipt, "action": "after_closure", "remedy": "partly", "retaliation": "no"},
    )
    body = r.content.decode()
    assert r.status_code == 200 and 'id="after-closure-sent"' in body
    assert 'id="after-closure"' not in body  # answered: the question is gone
    client.force_login(world.committee_x)
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    assert "Follow-up needed" in page and "Partly" in page
    listed = client.get("/complaints/cases/?followup=1").content.decode()
    assert c.reference in listed
