"""Structured logs: one JSON object per line on standard output.

Used by `imvo serve` for itself, gunicorn and the worker (LOG_FORMAT=json),
so a log collector can read every line without parsing prose. A record never
carries the request or a client address: only time, level, logger, message,
the process and, on errors, the traceback (docs/operations.md, "Logs").
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

# Attributes every LogRecord has; anything else was passed with extra= and is kept,
# except request objects (they hold the client address).
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_DROPPED = {"request", "server_time", "status_code"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in _DROPPED and not key.startswith("_"):
                doc[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            doc["traceback"] = self.formatException(record.exc_info)
        elif record.exc_text:  # already formatted (imvo.core.privacy strips private ones)
            doc["traceback"] = record.exc_text
        return json.dumps(doc, ensure_ascii=False)
