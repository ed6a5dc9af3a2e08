"""Operational records of the platform itself (not domain data)."""

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """Written by the background worker, so operators can see it is alive (/health/)."""

    created = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"heartbeat {self.created:%Y-%m-%d %H:%M:%S}"
