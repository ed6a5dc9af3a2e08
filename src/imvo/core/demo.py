"""Demo data orchestration: each app offers its part through the registry
(`offers = (..., "demo")` in its `AppConfig`: `<app>.demo.load`), in the order of the
floors: later apps build on earlier ones.

Dates are relative to today so the demo always shows covenants mid-term.
Company names are invented; public bodies, unions and NGOs are real parties
of the Dutch IMVO covenants.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from imvo.core.registry import registry

DEMO_PASSWORD = "demo-imvo-2026"  # noqa: S105 - printed to the demo user on purpose


def load_demo(progress: Callable[[str], object] = print) -> list[tuple[str, str]]:
    """Load every app's demo data. Returns (username, description) pairs for the logins."""
    logins: list[tuple[str, str]] = []
    for app, load in registry.demo_loaders.items():
        progress(f"Loading demo data: {app}")
        with transaction.atomic():
            logins.extend(load())
    return logins
