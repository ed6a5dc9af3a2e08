"""Model fields that many records declare alike, written once.

`acting_user()`: the account that did something to a row (recorded a progress
update or an escalation step, reviewed a submission, filed a document...). The
row outlives the account: when the account is deleted the field becomes empty
(SET_NULL), and the user gets no reverse accessor (``related_name="+"``: nobody
asks a user for "everything I did" through the ORM). The deconstructed field is the one written out by
hand before, so migrations do not change.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


def acting_user(**options: Any) -> models.ForeignKey[Any]:
    """`by = acting_user()` in a model's body; `options` as for a ForeignKey."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **options,
    )
