"""What other apps may use of accounts: whoever asks (``AnyUser``), their roles,
and the API's token check. Other apps import this module (and ``models``),
never the rest of accounts; the import contract ``seams`` in pyproject.toml
holds them to it."""

from __future__ import annotations

from imvo.accounts.api_auth import token_auth
from imvo.accounts.services import (
    AnyUser,
    committee_covenant_ids,
    grant_role,
    is_platform_admin,
    is_secretariat,
    managed_covenant_ids,
    organisation_id,
    person_name,
    recorded_as,
    recorded_person,
    signed_in,
)

__all__ = [
    "AnyUser",
    "committee_covenant_ids",
    "grant_role",
    "is_platform_admin",
    "is_secretariat",
    "managed_covenant_ids",
    "organisation_id",
    "person_name",
    "recorded_as",
    "recorded_person",
    "signed_in",
    "token_auth",
]
