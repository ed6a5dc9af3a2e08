"""The complaints mechanism's recurring chores, run by the worker's schedule
(imvo/core/schedule.py; registered in apps.py). Each returns a summary for the
operator that names no case content and no person."""

from __future__ import annotations

from collections.abc import Callable

from imvo.complaints.services import aftercare, deadlines, respondents, retention


def send_reminders() -> str:
    sent, failed = deadlines.do_send_reminders()
    if failed:
        # Raising marks the run failed on /health/ and in the admin: the mail is down.
        raise RuntimeError(f"{failed} reminder(s) could not be sent (check EMAIL_URL); {sent} sent")
    return f"reminders sent for {sent} case(s)"


def report_overdue() -> str:
    refs = list(deadlines.overdue_cases().values_list("reference", flat=True))
    shown = ", ".join(refs[:20]) + (" ..." if len(refs) > 20 else "")
    return f"{len(refs)} case(s) over their time limit" + (f": {shown}" if refs else "")


def purge_personal_data() -> str:
    return f"personal data removed from {retention.do_purge_personal_data()} closed case(s)"


def expire_receipt_codes() -> str:
    return f"receipt codes of {retention.do_expire_receipts()} closed case(s) expired"


def tell_respondents() -> str:
    sent, pending = respondents.tell_pending_respondents()
    if pending:
        # Raising marks the run failed on /health/ and in the admin: the mail is down.
        raise RuntimeError(
            f"{pending} case(s) with a respondent member not yet told (check EMAIL_URL);"
            f" {sent} mail(s) sent"
        )
    return f"{sent} mail(s) sent to respondent members not yet told"


def ask_after_closure() -> str:
    return f"{aftercare.do_ask_due_checks()} after-closure question(s) put to complainants"


# Each runs once a day: (schedule name, chore, what it does, for the operator).
DAILY: tuple[tuple[str, Callable[[], str], str], ...] = (
    ("complaints-reminders", send_reminders, "e-mail due and overdue cases"),
    ("complaints-overdue", report_overdue, "count cases over their time limit"),
    (
        "complaints-retention-purge",
        purge_personal_data,
        "remove personal data of cases closed longer than the retention period",
    ),
    (
        "complaints-receipt-expiry",
        expire_receipt_codes,
        "stop the receipt codes of cases closed longer than the receipt period",
    ),
    (
        "complaints-respondent-mail",
        tell_respondents,
        "e-mail respondent and forwarded members a failed mail left untold",
    ),
    (
        "complaints-after-closure-checks",
        ask_after_closure,
        "ask complainants at 3 and 6 months after closure about remedy and retaliation",
    ),
)
