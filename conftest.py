"""Test set-up shared by every app: settings for tests, personas, a real browser."""

from __future__ import annotations

import os

os.environ.setdefault("IMVO_TESTING", "1")
# Playwright's sync API runs an event loop in the test thread; Django's ORM
# calls from that thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["imvo.core.testing", "imvo.core.testdb", "imvo.testing"]

# Property tests judge behaviour, not speed: no per-example deadline, which a
# loaded 2-core CI machine would break at random.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "imvo", deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=False
)
settings.load_profile("imvo")
