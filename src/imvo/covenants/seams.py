"""What other apps may use of covenants besides its models: finding covenants
(by key, for a user, for the public list), the KPI progress of an agreement
(``KpiProgress``, a frozen dataclass), adherence changes, and the version of
public data that caches key on, and the decisions a letter may cite. Everything else in this app is its own."""

from __future__ import annotations

from imvo.covenants.services import (
    KpiProgress,
    change_adherence,
    covenants_managed_by,
    covenants_visible_to,
    get_covenant,
    kpi_progress,
    public_covenant_list,
    public_version,
)
from imvo.covenants.services.governance import citable_decisions

__all__ = [
    "KpiProgress",
    "change_adherence",
    "citable_decisions",
    "covenants_managed_by",
    "covenants_visible_to",
    "get_covenant",
    "kpi_progress",
    "public_covenant_list",
    "public_version",
]
