"""After closure: was the remedy carried out, and was anyone punished for
complaining? (UNGP 31: a mechanism is a source of learning and must be
rights-compatible; reprisals are the first risk of complainants.)

At 3 and 6 months after a case closed, a scheduled job puts the question on
the complainant's follow page (`do_ask_due_checks`, run daily by the worker).
The complainant answers there with the receipt code (`check_answer`). Their
answers feed the UNGP 31 figures (`figures.ungp31_figures`: remedy
satisfaction, retaliation reports). An answer that says the remedy did not
(fully) happen, or that reports retaliation, opens a follow-up: the case shows
it to the committee and the secretariat, the case list marks it, and the
secretariat's covenant page counts it until a handler records what was done
(`check_record_follow_up`). The case itself stays closed on its ground.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts.services import AnyUser
from imvo.complaints import crypto
from imvo.complaints.audit import audit
from imvo.complaints.models import AfterClosureCheck, Complaint, State
from imvo.complaints.services.access import require_handler
from imvo.core.errors import DomainError

CHECK_MONTHS = (3, 6)


def months_after(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def do_ask_due_checks(today: date | None = None) -> int:
    """Open the 3- and 6-month questions of every closed case that has reached
    them (idempotent: one question per case and month). Returns how many opened."""
    today = today or timezone.localdate()
    opened = 0
    closed = Complaint.objects.filter(
        state=State.CLOSED, closed_at__isnull=False, personal_data_removed_at__isnull=True
    ).prefetch_related("after_closure_checks")
    for c in closed:
        asked = {chk.months for chk in c.after_closure_checks.all()}
        closed_on = timezone.localtime(c.closed_at).date()
        for months in CHECK_MONTHS:
            if months in asked or months_after(closed_on, months) > today:
                continue
            _chk, created = AfterClosureCheck.objects.get_or_create(
                complaint=c, months=months, defaults={"asked_on": today}
            )
            if created:
                opened += 1
                audit("system", "after-closure-asked", c, months=months)
    return opened


def open_check(c: Complaint) -> AfterClosureCheck | None:
    """The question waiting for the complainant's answer (the earliest)."""
    return c.after_closure_checks.filter(answered_on__isnull=True).order_by("months").first()


def check_answer(
    c: Complaint, remedy: str, retaliation: str, comment: str = ""
) -> AfterClosureCheck:
    """The complainant answers the open question on the follow page."""
    chk = open_check(c)
    if chk is None:
        raise DomainError(_("There is no question waiting for your answer."))
    if c.remedy_agreed and remedy not in AfterClosureCheck.Remedy.values:
        raise DomainError(_("Say whether the remedy happened."))
    if retaliation not in ("yes", "no"):
        raise DomainError(
            _("Say whether you or others were punished or threatened for the complaint.")
        )
    comment = (comment or "").strip()
    if len(comment) > 5000:
        raise DomainError(_("The message is too long (at most 5,000 characters)."))
    return do_answer(chk, remedy if c.remedy_agreed else "", retaliation == "yes", comment)


def do_answer(
    chk: AfterClosureCheck, remedy: str, retaliation: bool, comment: str
) -> AfterClosureCheck:
    with transaction.atomic():
        chk.answered_on = timezone.localdate()
        chk.remedy = remedy
        chk.retaliation = retaliation
        chk.comment_enc = crypto.encrypt(comment) if comment else ""
        chk.follow_up_needed = retaliation or remedy in (
            AfterClosureCheck.Remedy.NO,
            AfterClosureCheck.Remedy.PARTLY,
        )
        chk.save()
        audit("complainant", "after-closure-answered", chk.complaint, months=chk.months)
        if chk.follow_up_needed:
            audit(
                "system",
                "after-closure-follow-up",
                chk.complaint,
                months=chk.months,
                retaliation=retaliation,
            )
    return chk


def open_follow_ups(c: Complaint) -> list[AfterClosureCheck]:
    return list(
        c.after_closure_checks.filter(follow_up_needed=True, follow_up_done_on__isnull=True)
    )


def check_record_follow_up(by: AnyUser, c: Complaint, check_id: int, note: str) -> None:
    """A handler records what was done about an answer that needed a follow-up."""
    require_handler(by, c)
    chk = c.after_closure_checks.filter(
        pk=check_id, follow_up_needed=True, follow_up_done_on__isnull=True
    ).first()
    if chk is None:
        raise DomainError(_("There is no open follow-up with this number."))
    note = (note or "").strip()
    if len(note) < 10:
        raise DomainError(_("Write what was done (at least 10 characters)."))
    with transaction.atomic():
        chk.follow_up_done_on = timezone.localdate()
        chk.follow_up_note_enc = crypto.encrypt(note)
        chk.save(update_fields=["follow_up_done_on", "follow_up_note_enc"])
        audit(by, "after-closure-follow-up-done", c, months=chk.months)
