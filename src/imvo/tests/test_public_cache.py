"""Anonymous public API answers are served from the cache until their data
changes, and never to or from a signed-in or token-carrying request
(core/public_cache.py, docs/performance.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imvo.testing import adhere, make_covenant, make_org


def _get(client, path: str, **headers):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(path, **headers)
    return r, len(ctx)


@pytest.mark.django_db
def test_anonymous_answer_is_cached_until_the_covenant_changes(client):
    c = make_covenant(name_en="Old name")
    path = f"/api/covenants/{c.slug}"
    first, n_first = _get(client, path, HTTP_ACCEPT_LANGUAGE="en")
    again, n_again = _get(client, path, HTTP_ACCEPT_LANGUAGE="en")
    assert n_first > 0 and n_again == 0
    assert again.json() == first.json()
    assert again["Content-Type"] == "application/json; charset=utf-8"
    c.name_en = "New name"
    c.save()
    adhere(c, make_org("Just Joined B.V."))
    fresh = client.get(path, HTTP_ACCEPT_LANGUAGE="en").json()
    assert fresh["name"] == "New name"
    assert "Just Joined B.V." in [o["name"] for o in fresh["organisations"]]
    listed = client.get("/api/covenants", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [x["name"] for x in listed if x["slug"] == c.slug] == ["New name"]


@pytest.mark.django_db
def test_each_language_has_its_own_cached_answer(client):
    c = make_covenant(name_en="Garments", name_nl="Kleding")
    path = f"/api/covenants/{c.slug}"
    assert client.get(path, HTTP_ACCEPT_LANGUAGE="en").json()["name"] == "Garments"
    assert client.get(path, HTTP_ACCEPT_LANGUAGE="nl").json()["name"] == "Kleding"
    assert client.get(path, HTTP_ACCEPT_LANGUAGE="en").json()["name"] == "Garments"


@pytest.mark.django_db
def test_errors_are_not_cached(client):
    assert client.get("/api/covenants/late-comer").status_code == 404
    make_covenant(slug="late-comer")
    assert client.get("/api/covenants/late-comer").status_code == 200


@pytest.mark.django_db
def test_signed_in_and_token_requests_bypass_the_cache(client, world):
    path = f"/api/covenants/{world.covenant_x.slug}"
    client.get(path)
    _r, n_anonymous = _get(client, path)
    assert n_anonymous == 0
    _r, n_token = _get(client, path, HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert n_token > 0  # handled by the view, not the cache
    client.force_login(world.secretariat_x)
    r, n_session = _get(client, path)
    assert r.status_code == 200 and n_session > 0
    assert not r.cookies  # nothing of a session answer is stored or replayed


def test_a_miss_is_computed_once_while_other_threads_wait():
    """When a popular entry expires under load, one thread runs the expensive
    query and the others take its result (core/cache.py: cached)."""
    import threading
    import time

    from imvo.core.cache import cached

    runs = []

    def expensive() -> str:
        runs.append(1)
        time.sleep(0.3)
        return "the answer"

    results: list[str] = []
    start = threading.Barrier(8)

    def ask() -> None:
        start.wait()
        results.append(cached("test:stampede", expensive))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert results == ["the answer"] * 8
    assert len(runs) == 1
    assert cached("test:other-key", lambda: "other") == "other"  # keys do not block each other


def test_with_caching_off_requests_compute_side_by_side(settings):
    """IMVO_PUBLIC_CACHE_SECONDS=0 (every read a miss): nothing is kept, so threads
    asking for the same key are not made to wait for each other's computation
    (which would keep one process's requests from overlapping their database
    waits); each computes, and nothing is stored."""
    import threading

    from imvo.core.cache import cached, local

    settings.IMVO_PUBLIC_CACHE_SECONDS = 0
    both_inside = threading.Barrier(2, timeout=5)

    def compute() -> str:
        both_inside.wait()  # raises BrokenBarrierError if the other thread is kept out
        return "fresh"

    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(cached("test:off", compute)))
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert results == ["fresh", "fresh"]
    assert local().get("test:off") is None
