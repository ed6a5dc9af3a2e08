"""Two caches with different jobs (docs/performance.md).

- Data versions (a number per kind of public data, bumped on every change)
  and the complaint rate limits live in the ``default`` cache. Set CACHE_URL to
  a Redis server and every server process shares them: a change made in one
  process, or in the worker, is seen by all, and a client's attempts are counted
  across processes.
- Rendered fragments and computed public data live in ``local``, an in-memory
  cache of each process. Their keys contain the data versions, so an entry is
  never stale, only unused; keeping them in-process saves a network round trip
  and a large unpickle per page (measured: a shared Redis cache for fragments
  made the complaint form 2.1 -> 5.2 ms per request).

A process reads a version from the shared cache at most once per
VERSION_READ_SECONDS; a change made elsewhere shows within that time, a change
made in this process at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache as shared
from django.core.cache import caches
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_READ_SECONDS = 1.0

# name -> (version, read at monotonic time); per process, shared by its threads.
_versions: dict[str, tuple[int, float]] = {}


def local() -> Any:
    """The per-process cache for versioned content."""
    return caches["local"]


def content_seconds() -> int:
    """How long versioned content is kept: its key changes with the data, so this
    bounds memory and date-dependent figures (KPI progress), not staleness."""
    return int(getattr(settings, "IMVO_PUBLIC_CACHE_SECONDS", 60))


def data_version(name: str) -> int:
    now = time.monotonic()
    hit = _versions.get(name)
    if hit is not None and now - hit[1] < VERSION_READ_SECONDS:
        return hit[0]
    # A missing version starts at the clock (microseconds), not at 1: after the
    # shared cache is flushed or restarted, versions never repeat old ones, so no
    # process serves content it cached under an old number.
    value = int(
        shared.get_or_set(f"data-version:{name}", lambda: time.time_ns() // 1000, None) or 0
    )
    _versions[name] = (value, now)
    return value


def bump_data_version(name: str) -> None:
    key = f"data-version:{name}"
    try:
        shared.incr(key)
    except ValueError:  # not set yet, or evicted
        shared.set(key, time.time_ns() // 1000, None)
    _versions.pop(name, None)  # this process sees its own change at once


_MISSING = object()
_computing: dict[str, threading.Lock] = {}
_computing_guard = threading.Lock()


def cached[T](
    key: str | Callable[[], str], compute: Callable[[], T], seconds: int | None = None
) -> T:
    """``compute()``'s value from this process's cache under ``key`` (a key that
    contains the data versions it depends on), computing it on a miss. ``key`` may
    be a function making it: it is not made at all with caching off (the versions
    read and a digest: ~0.05 ms a key on every public answer).

    On a miss only one thread of the process computes; the others wait for its
    result instead of running the same expensive query at once (when a popular
    entry expires under load, every thread would otherwise miss together).
    """
    ttl = content_seconds() if seconds is None else seconds
    if ttl <= 0:
        # Caching off (IMVO_PUBLIC_CACHE_SECONDS=0): nothing would be kept for the
        # waiting threads, so the guard would only make same-page requests of a
        # process compute one after another, none overlapping its database waits
        # with another's work.
        return compute()
    if callable(key):
        key = key()
    store = local()
    value = store.get(key, _MISSING)
    if value is not _MISSING:
        return value  # type: ignore[no-any-return]
    with _computing_guard:
        lock = _computing.setdefault(key, threading.Lock())
    with lock:
        value = store.get(key, _MISSING)
        if value is _MISSING:
            value = compute()
            store.set(key, value, ttl)
    with _computing_guard:
        _computing.pop(key, None)
    return value  # type: ignore[no-any-return]


def forget_versions() -> None:
    """Drop the per-process version memo (tests clear the caches between cases)."""
    _versions.clear()


def bump_on_change(
    receiver: Callable[..., None],
    models: Iterable[type[Model]],
    *,
    uid: str,
    through: Iterable[type[Model]] = (),
) -> None:
    """Call `receiver` (which bumps a data version) on every save and delete of
    `models` and every change of the many-to-many `through` tables, so a public
    fragment built from them is made again. Called from an app's `ready()`;
    `uid` keeps each connection single however often `ready()` runs."""
    for model in models:
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-s-{model}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-d-{model}")
    for table in through:
        m2m_changed.connect(receiver, sender=table, dispatch_uid=f"{uid}-m-{table}")
