"""The two keys of a record an organisation keeps within a covenant (a
due-diligence submission, an action, an engagement-log entry, ...).

Written once so that every such record says the same: it belongs to one
covenant and one organisation; the organisation cannot be deleted while it has
records (PROTECT: they are the covenant's memory). Querysets scope these records
with `imvo.core.scoping.ScopedQuerySet.visible_to`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from imvo.covenants.models.core import Covenant, Organisation


def covenant_and_organisation(
    related_name: str,
    *,
    covenant_on_delete: Any = models.CASCADE,
    **organisation_options: Any,
) -> tuple[models.ForeignKey[Covenant], models.ForeignKey[Organisation]]:
    """`covenant, organisation = covenant_and_organisation("dd_actions")` in a
    model's body: both keys with the same reverse name (the deconstructed fields
    are the ones written out by hand, so migrations do not change)."""
    covenant: models.ForeignKey[Covenant] = models.ForeignKey(
        "covenants.Covenant", on_delete=covenant_on_delete, related_name=related_name
    )
    organisation: models.ForeignKey[Organisation] = models.ForeignKey(
        "covenants.Organisation",
        on_delete=models.PROTECT,
        related_name=related_name,
        **organisation_options,
    )
    return covenant, organisation
