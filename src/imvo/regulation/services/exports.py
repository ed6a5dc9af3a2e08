"""Making a member's filings from a frozen submission, kept as filed (`retention`)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts.seams import AnyUser
from imvo.core.errors import DomainError
from imvo.covenants.models import Covenant
from imvo.regulation.models import RetainedDocument
from imvo.regulation.services import esrs, pack
from imvo.regulation.services.access import NotFound
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


def check_eudr_geojson(user: AnyUser, covenant: Covenant) -> RetainedDocument:
    """The member's plots in the covenant as the EU information system's GeoJSON, kept
    as filed (the EUDR keeps due-diligence information five years; we keep seven)."""
    import hashlib

    from imvo.regulation.services import eudr
    from imvo.regulation.services.access import member_or_former

    org = member_or_former(user, covenant)
    if org is None:
        raise NotFound(_("There is no such covenant."))
    rows = list(eudr.plots(user, covenant).filter(organisation=org).select_related("organisation"))
    if not rows:
        raise DomainError(_("There are no plots to export yet: upload them first."))
    body = eudr.geojson_bytes(rows)
    digest = hashlib.sha256(body).hexdigest()
    return retained(
        covenant, org, RetainedDocument.Kind.EUDR, "geojson", timezone.localdate().year,
        f"plots-{digest[:20]}", _name(org.slug, timezone.localdate().year, "eudr-plots", "geojson"),
        lambda: body, by=user,
    )  # fmt: skip
