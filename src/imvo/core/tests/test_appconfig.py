"""core.appconfig: an app's declared offers, folders, checks and chores are registered."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured

from imvo.core import appconfig, backup, schedule, storage
from imvo.core.registry import registry


def _links(user: object) -> list[object]:
    return []


def _fingerprints() -> dict[str, str]:
    return {"one": "1"}


def _chore() -> str:
    return "done"


@pytest.fixture
def fake_app() -> Iterator[str]:
    """A package `imvo_fake_app` with a nav module, as an app of the platform has."""
    package = types.ModuleType("imvo_fake_app")
    package.__path__ = []
    nav = types.ModuleType("imvo_fake_app.nav")
    nav.links_for = _links  # type: ignore[attr-defined]
    nav.checks = _fingerprints  # type: ignore[attr-defined]
    nav.chore = _chore  # type: ignore[attr-defined]
    nav.not_a_function = 42  # type: ignore[attr-defined]
    sys.modules.update({"imvo_fake_app": package, "imvo_fake_app.nav": nav})
    yield "imvo_fake_app"
    for name in ("imvo_fake_app", "imvo_fake_app.nav"):
        sys.modules.pop(name, None)
    registry.nav_links.pop("fake", None)
    backup._verifiers.pop("fake-check", None)
    schedule._jobs.pop("fake-chore", None)
    storage._locations.pop("fake-media", None)


def _config(module_name: str, **declared: object) -> appconfig.ImvoConfig:
    attrs = {"name": module_name, "path": "/nonexistent/fake_app", **declared}
    cls = type("FakeConfig", (appconfig.ImvoConfig,), attrs)
    return cls(module_name, sys.modules[module_name])  # type: ignore[no-any-return]


def test_every_hook_of_the_registry_is_known() -> None:
    assert set(appconfig.USUAL_PLACE) <= appconfig.HOOKS
    assert {"nav", "demo", "report", "risk_notes", "disclosure_version"} <= appconfig.HOOKS


def test_declared_offers_folders_checks_and_chores_are_registered(fake_app: str) -> None:
    config = _config(
        fake_app,
        label="fake",
        offers=("nav",),
        media=(("fake-media", "fake", "files of the fake app"),),
        verifiers={"fake-check": "nav.checks"},
        daily_jobs=(("fake-chore", "nav.chore", "does the fake chore"),),
    )
    config.ready()
    assert registry.nav_links["fake"] is _links
    assert backup._verifiers["fake-check"] is _fingerprints
    job = schedule._jobs["fake-chore"]
    assert job.func is _chore and job.every.days == 1 and job.what == "does the fake chore"
    assert storage.location("fake-media").what == "files of the fake app"


def test_a_hook_the_registry_does_not_know_stops_the_start(fake_app: str) -> None:
    config = _config(fake_app, label="fake", offers_from={"navigation": "nav.links_for"})
    with pytest.raises(ImproperlyConfigured, match="navigation"):
        config.ready()


def test_a_hook_without_a_usual_place_needs_one(fake_app: str) -> None:
    config = _config(fake_app, label="fake", offers=("risk_notes",))
    with pytest.raises(ImproperlyConfigured, match="offers_from"):
        config.ready()


def test_a_place_that_is_not_a_function_stops_the_start(fake_app: str) -> None:
    config = _config(fake_app, label="fake", offers_from={"nav": "nav.not_a_function"})
    with pytest.raises(ImproperlyConfigured, match="not a function"):
        config.ready()
