"""Background jobs: daily reminders and the retention sweep (schedule them with cron
calling `imvo complaints remind` / `purge`, or enqueue these tasks)."""

from django.tasks import task

from imvo.complaints.services import deadlines, retention


@task()
def send_reminders() -> int:
    sent, _failed = deadlines.do_send_reminders()
    return sent


@task()
def purge_personal_data() -> int:
    return retention.do_purge_personal_data()
