"""Background tasks for the reminders and the retention sweep, for callers that
enqueue them. The daily runs come from the worker's schedule (jobs.py)."""

from django.tasks import task

from imvo.complaints.services import deadlines, retention


@task()
def send_reminders() -> int:
    sent, _failed = deadlines.do_send_reminders()
    return sent


@task()
def purge_personal_data() -> int:
    return retention.do_purge_personal_data()
