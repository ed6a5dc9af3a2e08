"""The anonymised outcome of a decided case: drafted by a handler, checked and
published by a second person. The complainant's name and contact must not appear."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts.services import AnyUser, signed_in
from imvo.complaints.audit import audit
from imvo.complaints.models import Complaint, Publication, State
from imvo.complaints.services.access import require_handler
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Covenant

PUBLISHABLE = (State.DECISION, State.REMEDIATION, State.CLOSED, State.INADMISSIBLE)


def check_draft_publication(user: AnyUser, c: Complaint, title: str, text: str) -> Publication:
    """Draft the anonymised outcome. The complainant's name and contact must not appear."""
    require_handler(user, c)
    if c.state not in PUBLISHABLE:
        raise DomainError(_("Only a decided case can be published."))
    title, text = (title or "").strip(), (text or "").strip()
    if not title or not text:
        raise DomainError(_("Give the publication a title and a text."))
    data = c.confidential()
    for key in ("name", "contact"):
        value = str(data.get(key, "")).strip()
        if len(value) >= 3 and (value.lower() in text.lower() or value.lower() in title.lower()):
            raise DomainError(
                _(
                    "The text still contains the complainant's %(what)s; remove it before publishing."
                )
                % {"what": _("name") if key == "name" else _("contact details")}
            )
    return do_draft_publication(user, c, title, text)


def do_draft_publication(user: AnyUser, c: Complaint, title: str, text: str) -> Publication:
    pub, _created = Publication.objects.update_or_create(
        complaint=c,
        defaults={
            "covenant": c.covenant,
            "title": title,
            "text": text,
            "status": Publication.Status.DRAFT,
            "drafted_by": signed_in(user),
            "checked_by": None,
            "published_at": None,
        },
    )
    audit(user, "publication-drafted", c)
    return pub


def check_publish(user: AnyUser, pub: Publication) -> Publication:
    """A second person checks the anonymised text and publishes it."""
    if pub.complaint is None:
        raise DomainError(_("This publication is no longer linked to a case."))
    require_handler(user, pub.complaint)
    if pub.drafted_by_id == getattr(user, "pk", None):
        raise PermissionDeniedError(
            _("Someone other than the drafter must check and publish the text.")
        )
    return do_publish(user, pub)


def do_publish(user: AnyUser, pub: Publication) -> Publication:
    pub.status = Publication.Status.PUBLISHED
    pub.checked_by = signed_in(user)
    pub.published_at = timezone.now()
    pub.save()
    audit(user, "published", pub.complaint)
    return pub


def published_outcomes(covenant: Covenant | None = None) -> QuerySet[Publication]:
    qs = Publication.objects.filter(status=Publication.Status.PUBLISHED).select_related("covenant")
    if covenant is not None:
        qs = qs.filter(covenant=covenant)
    return qs
