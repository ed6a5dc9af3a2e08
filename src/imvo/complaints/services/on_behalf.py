"""Complaints filed on behalf of workers by a union or NGO (issue 17).

Workers often reach a mechanism through their union or an NGO. The
organisation files the complaint for them with their consent recorded: who
consented (encrypted: it names people), how (a signed form, orally in a
meeting, by message), on which day, and to what (file; follow the case and
write for them; represent them in mediation; share their names with the
company). The organisation then sees the complaints it filed, as the
complainant sees them, and may write to the committee when the consent covers
following. The receipt code is shown once to the organisation, to pass on:
the workers can follow the case with it themselves, as any complainant.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.accounts.services import AnyUser, organisation_id, signed_in
from imvo.complaints import crypto
from imvo.complaints.audit import audit
from imvo.complaints.models import Complaint, Message, OnBehalfConsent, to_the_hour
from imvo.complaints.services import filing, following
from imvo.complaints.services.access import CaseNotFoundError
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Covenant, Organisation

FILING_TYPES = (Organisation.Type.UNION, Organisation.Type.NGO)
ONLY_UNIONS_AND_NGOS = gettext_lazy(
    "Only a trade union or an NGO files complaints on behalf of workers."
)


def filing_organisation(user: AnyUser) -> Organisation | None:
    """The union or NGO a user may file for workers for (None: not allowed)."""
    org_id = organisation_id(user)
    if not org_id:
        return None
    return Organisation.objects.filter(pk=org_id, type__in=FILING_TYPES).first()


def check_file_on_behalf(
    user: AnyUser,
    *,
    covenant: Covenant,
    description: str,
    consent_who: str,
    consent_how: str,
    consent_given_on: date | None,
    consent_scope: list[str],
    respondent: Organisation | None = None,
    topics: list[str] | None = None,
    location: str = "",
    when: str = "",
    remedy_sought: str = "",
    language: str = "en",
    files: list[tuple[str, bytes]] | None = None,
) -> filing.Filed:
    """A union or NGO files a complaint for workers, with their consent recorded."""
    org = filing_organisation(user)
    if org is None:
        raise PermissionDeniedError(str(ONLY_UNIONS_AND_NGOS))
    consent_who = (consent_who or "").strip()
    if len(consent_who) < 3:
        raise DomainError(_("Say who gave their consent (names, or how many workers and which)."))
    if consent_how not in OnBehalfConsent.How.values:
        raise DomainError(_("Say how the workers gave their consent."))
    if consent_given_on is None or consent_given_on > timezone.localdate():
        raise DomainError(_("Give the day the workers consented (not a day in the future)."))
    scope = [s for s in OnBehalfConsent.Scope.values if s in (consent_scope or [])]
    if OnBehalfConsent.Scope.FILE not in scope:
        raise DomainError(_("The workers' consent must cover filing this complaint."))
    share = OnBehalfConsent.Scope.SHARE_IDENTITY in scope
    filed = filing.check_file_complaint(
        filing.NewComplaint(
            covenant=covenant,
            description=description,
            anonymous=not share,
            complainant_type=Complaint.ComplainantType.ORGANISATION,
            name=consent_who if share else "",
            share_identity_with_company=share,
            respondent=respondent,
            location=location,
            when=when,
            topics=topics or [],
            remedy_sought=remedy_sought,
            language=language,
            files=files or [],
        )
    )
    do_record_consent(user, org, filed.complaint, consent_who, consent_how, consent_given_on, scope)
    return filed


def do_record_consent(
    user: AnyUser,
    org: Organisation,
    c: Complaint,
    who: str,
    how: str,
    given_on: date,
    scope: list[str],
) -> OnBehalfConsent:
    with transaction.atomic():
        c.filed_by_organisation = org
        c.save(update_fields=["filed_by_organisation"])
        consent = OnBehalfConsent.objects.create(
            complaint=c,
            organisation=org,
            who_enc=crypto.encrypt(who),
            how=how,
            given_on=given_on,
            scope=scope,
            recorded_by=signed_in(user),
        )
        audit(user, "filed-on-behalf", c, organisation=org.pk, how=how, scope=scope)
    return consent


def filer_view(user: AnyUser, c: Complaint) -> dict[str, Any]:
    """What the filing organisation sees: what the complainant sees, and the consent."""
    consent = getattr(c, "consent", None)
    return {
        "role": "filer",
        "c": c,
        "case": following.complainant_view(c),
        "consent": consent,
        "can_write": bool(consent and OnBehalfConsent.Scope.FOLLOW in consent.scope),
    }


def check_filer_message(user: AnyUser, c: Complaint, body: str) -> Message:
    """The organisation writes to the committee for the workers (if their consent covers it)."""
    if c.filed_by_organisation_id is None or c.filed_by_organisation_id != organisation_id(user):
        raise CaseNotFoundError(_("No such case."))
    consent = getattr(c, "consent", None)
    if not (consent and OnBehalfConsent.Scope.FOLLOW in consent.scope):
        raise PermissionDeniedError(
            _("The workers' consent does not cover following the case for them.")
        )
    body = (body or "").strip()
    if not body:
        raise DomainError(_("The message is empty."))
    if len(body) > 10000:
        raise DomainError(_("The message is too long (at most 10,000 characters)."))
    with transaction.atomic():
        m = Message.objects.create(
            complaint=c,
            created=to_the_hour(),
            sender=Message.Sender.COMPLAINANT,
            author=signed_in(user),
            body_enc=crypto.encrypt(body),
        )
        audit(user, "filer-message", c)
    return m
