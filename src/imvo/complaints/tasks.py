"""Background jobs: daily reminders and the retention sweep (schedule them with cron
calling `imvo complaints remind` / `purge`, or enqueue these tasks)."""

from django.tasks import task

from imvo.complaints import services


@task()
def send_reminders() -> int:
    sent, _failed = services.send_reminders()
    return sent


@task()
def purge_personal_data() -> int:
    return services.purge_personal_data()
