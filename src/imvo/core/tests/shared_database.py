"""The test database, for a child process that must work on the same rows."""

from __future__ import annotations

from typing import Any

from django.db import connection


def shared_database_url(settings_dict: dict[str, Any] | None = None) -> str:
    """The database the tests run on (or the one `settings_dict` describes) as a
    DATABASE_URL, for a real worker or server process started by a test."""
    d = settings_dict or connection.settings_dict
    if d["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{d['NAME']}"
    auth = d["USER"] + (f":{d['PASSWORD']}" if d.get("PASSWORD") else "")
    return f"postgres://{auth}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"
