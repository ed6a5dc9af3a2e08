"""CACHE_URL selects a cache shared by every server process: a change made in
one process (a new public data version) is seen by all. Proven with a real
second process and the real Redis server (docs/performance.md). The complaint
rate limits count in the database instead (complaints/tests/test_limits.py)."""

import os
import time
import uuid

import pytest
from django.test import override_settings

from imvo.core.cache import VERSION_READ_SECONDS
from imvo.core.tests.serving import python
from imvo.core.tests.test_platform import _redis_up
from imvo.covenants.services import public_version

CACHE_URL = "redis://127.0.0.1:6379/1"

OTHER_PROCESS = """
import django; django.setup()
from django.conf import settings
from imvo.covenants.services import bump_public_version
assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache"), settings.CACHES
bump_public_version()
print("ok")
"""


def test_settings_refuse_an_unknown_cache_url():
    env = {k: v for k, v in os.environ.items() if k != "IMVO_TESTING"}
    env.update(CACHE_URL="memcached://127.0.0.1:11211", DEBUG="1")
    r = python(
        "import django, os; django.setup()", {**env, "DJANGO_SETTINGS_MODULE": "imvo.settings"}
    )
    assert r.returncode != 0
    assert "CACHE_URL must start with redis://" in r.stderr


@pytest.mark.slow  # a real second process and the real Redis server
def test_a_change_in_one_process_reaches_another():
    if not _redis_up():
        pytest.skip("no Redis server on 127.0.0.1:6379")
    prefix = f"imvo-test-{uuid.uuid4().hex}"
    shared = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=shared):
        before = public_version()
        env = {k: v for k, v in os.environ.items() if k != "IMVO_TESTING"}
        env.update(
            CACHE_URL=CACHE_URL,
            CACHE_KEY_PREFIX=prefix,
            DEBUG="1",
            DJANGO_SETTINGS_MODULE="imvo.settings",
        )
        r = python(OTHER_PROCESS, env)
        try:
            assert r.returncode == 0, r.stderr[-2000:]
            time.sleep(VERSION_READ_SECONDS)  # a process rereads a version at most every second
            assert public_version() == before + 1
        finally:
            from django.core.cache import cache

            cache.delete_many(["data-version:covenants"])
