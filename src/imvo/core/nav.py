"""Links on a signed-in user's start page, contributed by each app's `nav.links_for(user)`."""

from __future__ import annotations

import importlib
from typing import Any

APPS = ["supplychain", "risk", "duediligence", "complaints", "reporting"]


def collect_links(user: Any) -> list[dict[str, str]]:
    """Each link: {"url": ..., "label": ...}. Apps decide which roles see which links."""
    links: list[dict[str, str]] = []
    for app in APPS:
        try:
            module = importlib.import_module(f"imvo.{app}.nav")
        except ModuleNotFoundError as e:
            if e.name != f"imvo.{app}.nav":
                raise
            continue
        links.extend(module.links_for(user))
    return links
