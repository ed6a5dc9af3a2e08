"""Test builder for users (see `imvo.testing` for the domain builders and personas)."""

from __future__ import annotations

import itertools
from typing import Any

from imvo.core.testing import PASSWORD

_seq = itertools.count(1)


def make_user(username: str | None = None, organisation=None, **kw: Any):
    from imvo.accounts.models import User

    return User.objects.create_user(
        username or f"user{next(_seq)}", password=PASSWORD, organisation=organisation, **kw
    )
