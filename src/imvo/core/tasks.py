"""Background tasks of the platform itself."""

from django.tasks import task

from imvo.core.models import WorkerHeartbeat


@task()
def record_heartbeat(note: str = "") -> int:
    """Prove the worker runs: store a heartbeat row and return its id."""
    return WorkerHeartbeat.objects.create(note=note[:200]).pk
