"""What /health/ reports: readiness (database, migrations) and the worker.

Liveness (/health/live/) only says the process answers; readiness
(/health/ready/) says it can serve: the database answers and no migration is
waiting. /health/ adds the worker's last heartbeat and the scheduled jobs.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, connection

logger = logging.getLogger("imvo")

_migrated = False  # once true in a process it stays true (migrations only go forward)


def _migrations_applied() -> bool:
    global _migrated
    if _migrated:
        return True
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    _migrated = not plan
    return _migrated


def readiness() -> dict[str, str]:
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as e:
        logger.error("readiness: database unavailable: %s", e)
        return {"database": "unavailable", "migrations": "unknown"}
    checks["migrations"] = "ok" if _migrations_applied() else "pending (run imvo migrate)"
    return checks


def report() -> dict[str, Any]:
    from imvo.core.models import WorkerHeartbeat

    checks = readiness()
    doc: dict[str, Any] = {
        "status": "ready" if all(v == "ok" for v in checks.values()) else "not ready"
    }
    doc.update(checks)
    if checks["database"] == "ok":
        last = (
            WorkerHeartbeat.objects.order_by("-created").values_list("created", flat=True).first()
        )
        doc["worker_last_seen"] = last.isoformat() if last else None
        from imvo.core.schedule import status

        doc["scheduled_jobs"] = status()
    return doc
