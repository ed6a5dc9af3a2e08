"""Making a member's filings from a frozen submission, kept as filed (`retention`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from imvo.accounts.services import AnyUser
from imvo.core.errors import DomainError
from imvo.regulation.models import RetainedDocument
from imvo.regulation.services import esrs, pack
from imvo.regulation.services.record import frozen_record
from imvo.regulation.services.retention import retained


def _name(rec_org: str, year: int, what: str, fmt: str) -> str:
    from imvo.core.uploads import safe_name

    return safe_name(f"{what}-{rec_org}-{year}.{fmt}")


def check_esrs_draft(
    user: AnyUser, submission_id: int, fmt: str, number: int | None = None
) -> RetainedDocument:
    """The ESRS S2 disclosure draft (html, xlsx or json) of the submission's version."""
    if fmt not in esrs.FORMATS:
        raise DomainError(
            _("The ESRS S2 draft comes as html, xlsx or json (not %(f)s).") % {"f": fmt}
        )
    rec = frozen_record(user, submission_id, number)
    sub = rec.submission
    return retained(
        sub.covenant, sub.organisation, RetainedDocument.Kind.ESRS_S2, fmt, sub.year,
        rec.source_id, _name(sub.organisation.slug, sub.year, "esrs-s2", fmt),
        lambda: esrs.render(rec, fmt), by=user,
    )  # fmt: skip


def check_csddd_pack(
    user: AnyUser, submission_id: int, number: int | None = None
) -> RetainedDocument:
    """The CSDDD evidence pack (ZIP) of the submission's version."""
    rec = frozen_record(user, submission_id, number)
    sub = rec.submission
    return retained(
        sub.covenant, sub.organisation, RetainedDocument.Kind.CSDDD_PACK, "zip", sub.year,
        rec.source_id, _name(sub.organisation.slug, sub.year, "csddd-pack", "zip"),
        lambda: pack.render(rec), by=user,
    )  # fmt: skip
