"""What other apps may use of due diligence besides its models: who is a
member or reviewer, and the submissions a user may see (the regulation
exports are built from them), with the one "not found" they answer."""

from __future__ import annotations

from imvo.duediligence.services.access import (
    NotFound,
    get_submission,
    member_covenants,
    member_organisation,
    require_member,
    require_reviewer,
    submissions_visible_to,
)

__all__ = [
    "NotFound",
    "get_submission",
    "member_covenants",
    "member_organisation",
    "require_member",
    "require_reviewer",
    "submissions_visible_to",
]
