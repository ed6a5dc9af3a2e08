"""Background work of the risk engine (django.tasks)."""

from __future__ import annotations

from django.tasks import task


@task()
def scan_disclosure_version(version_id: int) -> None:
    """Scan a disclosure version that became current and store the result on it."""
    from imvo.risk.services import scan_disclosure_version as scan

    scan(version_id)


def on_disclosure_version(version_id: int) -> None:
    """The hook the supply chain calls (through core.registry) when a version becomes current."""
    scan_disclosure_version.enqueue(version_id)
