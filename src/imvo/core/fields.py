"""Model fields that many records declare alike, written once.

`optional_link(to)`: a reference a row may go without (``null``, ``blank``),
emptied when the row it points to is deleted (``SET_NULL``): the theme of an
action, the meeting a decision was taken in. Where the row must stay while it
is referred to, or goes with it, say so: ``on_delete=models.PROTECT`` (the
company a complaint is about), ``models.CASCADE``.

`acting_user()`: the account that did something to a row (recorded a progress
update or an escalation step, reviewed a submission, filed a document...). The
row outlives the account: an `optional_link` to the user, and the user gets no
reverse accessor (``related_name="+"``: nobody asks a user for "everything I
did" through the ORM).

`status_field(Status.DRAFT)`: a record's status, one of its ``Status`` choices,
starting at the given one.

Each deconstructs as the field written out by hand before, so migrations do
not change; `options` are passed on (and may replace a default, e.g.
``blank=False``).
"""

from __future__ import annotations

from typing import Any, overload

from django.conf import settings
from django.db import models
from django.db.models.expressions import Combinable
from django.utils.translation import gettext_lazy as _


@overload
def optional_link[M: models.Model](to: type[M], **options: Any) -> models.ForeignKey[M | None]: ...


@overload
def optional_link(to: str, **options: Any) -> models.ForeignKey[Any]: ...


def optional_link(to: type[models.Model] | str, **options: Any) -> models.ForeignKey[Any]:
    """`theme = optional_link("covenants.Theme", related_name="+")` in a model's body."""
    defaults: dict[str, Any] = {"null": True, "blank": True, "on_delete": models.SET_NULL}
    return models.ForeignKey(to, **(defaults | options))


def acting_user(**options: Any) -> models.ForeignKey[Any]:
    """`by = acting_user()` in a model's body; `options` as for a ForeignKey."""
    return optional_link(settings.AUTH_USER_MODEL, **({"related_name": "+"} | options))


def status_field(
    default: models.TextChoices, **options: Any
) -> models.CharField[str | int | Combinable, str]:
    """`status = status_field(Status.DRAFT)`: the choices are those of `default`'s class."""
    return models.CharField(
        _("status"), max_length=20, choices=type(default).choices, default=default, **options
    )
