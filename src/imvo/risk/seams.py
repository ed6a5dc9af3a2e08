"""What other apps may use of risk besides its models: a company's risk
register (due diligence copies it into a submission) and its scan (the
forced-labour check of the regulation app reads it)."""

from __future__ import annotations

from imvo.risk.goods import good_label
from imvo.risk.services import (
    ReadableEntry,
    company_scan,
    entry_as_dict,
    readable_entry,
    register_entries,
)

__all__ = [
    "ReadableEntry",
    "company_scan",
    "entry_as_dict",
    "good_label",
    "readable_entry",
    "register_entries",
]
