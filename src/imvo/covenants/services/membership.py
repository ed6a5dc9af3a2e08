"""Joining a covenant: the online application, the secretariat's decision, leaving.

A company applies (organisation data, a contact, the covenant's conditions
accepted). The secretariat admits it with a start date: the organisation is
registered (or an existing one reused), becomes an active party from that date
and its contact is invited (an e-mail with a one-time link, which the
secretariat also sees to pass on when mail does not arrive). An organisation
already on the platform takes part through its own people's accounts: anyone
can apply in a public member's name, so its applicant is never given an account
in it (docs/security.md, T42); the secretariat invites a new person of such an
organisation itself, once the organisation confirms them. Or the
secretariat rejects it with a reason. Suspension and withdrawal are
`change_adherence` (the public page shows their date and reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from imvo.accounts import invitations
from imvo.accounts import seams as roles
from imvo.accounts.seams import AnyUser
from imvo.core import ratelimit
from imvo.core.errors import DomainError
from imvo.covenants.models import (
    Adherence,
    Covenant,
    MembershipApplication,
    Organisation,
    Phase,
)
from imvo.covenants.services import (
    add_adherence,
    change_adherence,
    register_organisation,
    require_secretariat,
)

# A covenant takes applications once it is agreed; in exploration there is nothing to join yet.
OPEN_PHASES = (Phase.DIALOGUE, Phase.IMPLEMENTATION, Phase.EVALUATION)


def accepts_applications(covenant: Covenant) -> bool:
    return covenant.phase in OPEN_PHASES


def applications_visible_to(user: AnyUser, covenant: Covenant) -> QuerySet[MembershipApplication]:
    """Applications hold a contact's name and e-mail: the secretariat's only."""
    if not roles.is_secretariat(user, covenant):
        return MembershipApplication.objects.none()
    return MembershipApplication.objects.filter(covenant=covenant)


@transaction.atomic
def _count_application(client: str, email: str) -> None:
    ratelimit.hit("apply", client, int(settings.IMVO_APPLY_LIMIT), 3600)
    try:
        ratelimit.hit(
            "apply-email", ratelimit.client_key(email), int(settings.IMVO_APPLY_EMAIL_LIMIT), 86400
        )
    except ratelimit.RateLimitedError as e:
        raise ratelimit.RateLimitedError(
            _(
                "Too many applications with this e-mail address today. "
                "Please try again tomorrow, or write to the secretariat."
            ),
            e.retry_after,
        ) from e


def check_apply(
    covenant: Covenant,
    organisation_name: str,
    contact_name: str,
    contact_email: str,
    conditions_accepted: bool,
    country: str = "NL",
    website: str = "",
    chamber_of_commerce: str = "",
    motivation: str = "",
    organisation_type: str = Organisation.Type.COMPANY,
    client: str | None = None,
) -> MembershipApplication:
    """Anyone may apply for an organisation; nothing joins until the secretariat admits.

    From the public form (`client`: the keyed hash of the client address) a
    valid application is counted: IMVO_APPLY_LIMIT per client address per hour
    and IMVO_APPLY_EMAIL_LIMIT per contact e-mail per day, so nobody can flood
    the secretariat's list (docs/security.md)."""
    if not accepts_applications(covenant):
        raise DomainError(_("This covenant does not take applications in its current phase."))
    if not conditions_accepted:
        raise DomainError(_("Accept the covenant's conditions to apply."))
    name = organisation_name.strip()
    if not name:
        raise DomainError(_("Give the name of the organisation."))
    if not (contact_name.strip() and "@" in contact_email):
        raise DomainError(_("Give a contact person and their e-mail address."))
    # A second application in the same name is kept like the first, with the same
    # answer: telling the applicant that one "is already waiting" told anyone
    # which organisations had applied (the secretariat's only; T46).
    if Adherence.objects.filter(
        covenant=covenant,
        organisation__name__iexact=name,
        status=Adherence.Status.ACTIVE,
    ).exists():
        raise DomainError(_("%(org)s already takes part in this covenant.") % {"org": name})
    if client is not None:
        _count_application(client, contact_email.strip().lower())
    return MembershipApplication.objects.create(
        covenant=covenant,
        organisation_name=name,
        organisation_type=organisation_type,
        country=(country or "NL").upper()[:2],
        website=website,
        chamber_of_commerce=chamber_of_commerce.strip(),
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip().lower(),
        motivation=motivation,
        conditions_accepted=True,
    )


@dataclass(frozen=True)
class Admission:
    application: MembershipApplication
    adherence: Adherence
    # The one-time link, for the secretariat to pass on if mail fails; "" when the
    # organisation was already on the platform and nobody was invited.
    invitation_link: str


def existing_organisation(application: MembershipApplication) -> Organisation | None:
    """The organisation already on the platform that the application names, if any."""
    name = application.organisation_name
    existing = Organisation.objects.filter(slug=slugify(name)).first()
    if existing is not None and existing.name.lower() == name.lower():
        return existing
    return None


def _pending(application: MembershipApplication) -> None:
    if application.status != MembershipApplication.Status.PENDING:
        raise DomainError(
            _("This application was already decided (%(status)s).")
            % {"status": application.get_status_display()}
        )


@transaction.atomic
def check_admit(
    user: AnyUser,
    application: MembershipApplication,
    start_date: date,
    base_url: str = "",
) -> Admission:
    covenant = application.covenant
    require_secretariat(user, covenant)
    _pending(application)
    org = existing = existing_organisation(application)
    if org is None:
        org = register_organisation(
            user,
            covenant,
            Organisation(
                name=application.organisation_name,
                type=application.organisation_type,
                country=application.country,
                website=application.website,
            ),
        )
    adherence = Adherence.objects.filter(covenant=covenant, organisation=org).first()
    reason = _("Admitted on application %(id)s.") % {"id": application.pk}
    if adherence is None:
        adherence = add_adherence(
            user, covenant, org, Adherence.Role.PARTY, since=start_date, reason=reason
        )
    else:  # a former member rejoins: its history stays, a new period starts
        adherence.since = start_date
        change_adherence(
            user,
            adherence,
            Adherence.Status.ACTIVE,
            on=start_date,
            reason=reason,
            role=Adherence.Role.PARTY,
        )
    link = ""
    if existing is None:
        # Only a new organisation's applicant speaks for it. Inviting the applicant
        # into an existing one handed a stranger its lists, submissions and cases.
        invited = invitations.check_invite(
            user, org, application.contact_email, application.contact_name, base_url
        )
        link = invitations.link_base(base_url) + invitations.invitation_path(invited)
    application.status = MembershipApplication.Status.ADMITTED
    application.start_date = start_date
    application.organisation = org
    application.decided = timezone.now()
    application.decided_by = roles.signed_in(user)
    application.save()
    return Admission(application, adherence, link)


@transaction.atomic
def check_reject(user: AnyUser, application: MembershipApplication, reason: str) -> None:
    require_secretariat(user, application.covenant)
    _pending(application)
    if not reason.strip():
        raise DomainError(_("Give the reason for not admitting the organisation."))
    application.status = MembershipApplication.Status.REJECTED
    application.reason = reason.strip()
    application.decided = timezone.now()
    application.decided_by = roles.signed_in(user)
    application.save()


@dataclass(frozen=True)
class PublicStatus:
    """An adherence as the public page shows it: a suspension or withdrawal with
    its date and recorded reason."""

    adherence: Adherence
    since: date | None
    reason: str


def public_status(adherence: Adherence) -> PublicStatus:
    changes = [c for c in adherence.changes.all() if c.to_status == adherence.status]
    last = changes[-1] if changes else None
    return PublicStatus(
        adherence,
        last.date if last else (adherence.until or adherence.since),
        last.reason if last else "",
    )
