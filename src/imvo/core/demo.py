"""Demo data orchestration: each app contributes its part through `<app>.demo.load()`.

Dates are relative to today so the demo always shows covenants mid-term.
Company names are invented; public bodies, unions and NGOs are real parties
of the Dutch IMVO covenants.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from django.db import transaction

DEMO_PASSWORD = "demo-imvo-2026"  # noqa: S105 - printed to the demo user on purpose

# Order matters: later apps build on earlier ones.
DEMO_APPS = ["covenants", "supplychain", "risk", "duediligence", "complaints", "reporting"]


def load_demo(progress: Callable[[str], object] = print) -> list[tuple[str, str]]:
    """Load every app's demo data. Returns (username, description) pairs for the logins."""
    logins: list[tuple[str, str]] = []
    for app in DEMO_APPS:
        try:
            module = importlib.import_module(f"imvo.{app}.demo")
        except ModuleNotFoundError as e:
            if e.name != f"imvo.{app}.demo":
                raise
            continue
        progress(f"Loading demo data: {app}")
        with transaction.atomic():
            logins.extend(module.load() or [])
    return logins
