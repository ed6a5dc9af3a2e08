"""What other apps may use of risk besides its models: a company's risk
register (due diligence copies it into a submission)."""

from __future__ import annotations

from imvo.risk.services import entry_as_dict, register_entries

__all__ = ["entry_as_dict", "register_entries"]
