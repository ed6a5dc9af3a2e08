"""Background jobs: daily reminders and the retention sweep (schedule them with cron
calling `imvo complaints remind` / `purge`, or enqueue these tasks)."""

from django.tasks import task

from imvo.complaints import services


@task()
def send_reminders() -> int:
    return services.send_reminders()


@task()
def purge_personal_data() -> int:
    return services.purge_personal_data()
