"""Naming the respondent of a complaint filed without one.

A worker often does not know which brand buys from the factory: the complaint
comes in without a member company (`Complaint.respondent` empty). Once the
committee has found which member(s) of the covenant it concerns, it names them
on the case page, with its reasons. From then on each named member is a
respondent like the one a complainant names: it sees the case once
admissibility is decided (`COMPANY_STATES`), gets the summary, messages and
evidence the committee shares, and answers (messages and files,
`services/answers.py`). Each naming is a `RespondentNaming` row (who, when,
the reasons, encrypted) and a `respondent-named` entry in the audit trail
(who, when, the member, a digest of the reasons that ties the stored reasons
to the chain).

When: from acknowledgement until the hearing (`NAMING_STATES`): a decision is
not taken against a company that was never heard, and a closed or
inadmissible case has no respondent to add. Who: the committee (the
secretariat supports, it does not decide whom a complaint is against).

The complainant is told, on the follow page, that the company concerned was
identified and will be asked to respond, on the day it happened: not which
company, nor how many (the complainant does not learn who buys from a
location, `services/forwarding.py`).

The named member is told by e-mail, once, when it may first see the case: at
the naming if the case is already past admissibility, else when the case moves
into a state the company sees (`tell_named_members`, called by the naming and by
`workflow.do_move`). The mail goes to each active person of the member with an
address, one mail each, in English and Dutch, and names the covenant and the
case reference only: nothing of the complaint or of who made it (the way the
quorum and deadline mails hold no case content). A naming is marked
`notified_at` only after its mails went out; a mail server that is down is
logged and the member is told at the next naming or step.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from imvo.accounts.models import User
from imvo.accounts.services import AnyUser, signed_in
from imvo.complaints import crypto
from imvo.complaints.audit import actor_name, audit
from imvo.complaints.models import (
    COMPANY_STATES,
    Complaint,
    RespondentNaming,
    State,
)
from imvo.complaints.services.access import require_handler, require_reason, respondent_ids
from imvo.complaints.services.committee import require_quorum
from imvo.complaints.services.filing import members_of
from imvo.core.errors import DomainError
from imvo.covenants.models import Organisation

logger = logging.getLogger(__name__)

NAMING_STATES = (
    State.ACKNOWLEDGED,
    State.ADMISSIBILITY,
    State.ADMISSIBLE,
    State.MEDIATION,
    State.INVESTIGATION,
)

# What the complainant reads on the follow page (no company, no count).
COMPLAINANT_STEP = gettext_lazy("The company concerned was identified")
COMPLAINANT_REASON = gettext_lazy(
    "The committee found which member company of the agreement your complaint"
    " concerns, and will ask it to respond. Its name is not shown here."
)


def nameable_members(c: Complaint) -> QuerySet[Organisation]:
    """The covenant's member companies that are not yet respondents to the case."""
    return members_of(c.covenant).exclude(pk__in=respondent_ids(c))


def can_name(c: Complaint) -> bool:
    return c.state in NAMING_STATES


def check_name_respondents(
    user: AnyUser, c: Complaint, organisation_ids: Iterable[int], reason: str
) -> list[RespondentNaming]:
    """The committee names one or more member companies as respondents, with the
    reasons (for the committee and the audit trail; the complainant is told
    only that the company concerned was identified)."""
    require_handler(user, c, committee_only=True)
    require_quorum(c)
    ids = sorted(set(organisation_ids))
    if not ids:
        raise DomainError(_("Choose the member company (or companies) the complaint concerns."))
    reason = require_reason(
        reason,
        _(
            "Write why this member is named (at least %(n)d characters): for the"
            " committee and the audit trail."
        ),
    )
    if len(reason) > 5000:
        raise DomainError(_("The reasons are too long (at most 5,000 characters)."))
    members = list(members_of(c.covenant).filter(pk__in=ids))
    if len(members) != len(ids):
        raise DomainError(_("Only active member companies of this covenant can be named."))
    return do_name_respondents(user, c, members, reason)


def do_name_respondents(
    user: AnyUser, c: Complaint, members: list[Organisation], reason: str
) -> list[RespondentNaming]:
    """Write the namings, under the case's row lock (the stage and who is already
    a respondent are checked against the stored case)."""
    digest = hashlib.sha256(reason.encode("utf-8")).hexdigest()
    with transaction.atomic():
        c = Complaint.objects.select_for_update().get(pk=c.pk)
        if not can_name(c):
            raise DomainError(
                _(
                    "A respondent can be named from acknowledgement until the hearing,"
                    " not in “%(state)s”."
                )
                % {"state": c.get_state_display()}
            )
        already = respondent_ids(c)
        twice = [o.name for o in members if o.pk in already]
        if twice:
            raise DomainError(
                _("Already a respondent to this case: %(names)s.") % {"names": ", ".join(twice)}
            )
        now = timezone.now()
        namings = []
        for o in members:
            naming = RespondentNaming.objects.create(
                complaint=c,
                organisation=o,
                by=signed_in(user),
                by_name=actor_name(user),
                at=now,
                reason_enc=crypto.encrypt(reason),
            )
            namings.append(naming)
            audit(
                user,
                "respondent-named",
                c,
                organisation=o.pk,
                naming=naming.pk,
                reason_sha256=digest,
            )
        if c.respondent_id is None:
            # The first member named is the case's respondent (the register, the
            # case list and the conflict checks read it); the others are in namings.
            c.respondent = members[0]
            c.save(update_fields=["respondent"])
    tell_named_members(c)
    return namings


def _named_mail(c: Complaint) -> tuple[str, str]:
    """The subject and body of the mail to a named member, in English then Dutch:
    the covenant and the reference, nothing of the complaint or the complainant."""
    parts = []
    for lang in ("en", "nl"):
        with override(lang):
            parts.append(
                (
                    _("Complaint %(ref)s concerns your organisation") % {"ref": c.reference},
                    _(
                        "The complaints committee of %(covenant)s has named your organisation"
                        " as a respondent to complaint %(ref)s. Sign in to the platform to"
                        " read what the committee shares and to answer. This mail holds no"
                        " case content."
                    )
                    % {"covenant": c.covenant.name, "ref": c.reference},
                )
            )
    (subject_en, body_en), (subject_nl, body_nl) = parts
    return f"[{c.covenant.slug}] {subject_en} / {subject_nl}", f"{body_en}\n\n{body_nl}"


def tell_named_members(c: Complaint) -> int:
    """E-mail each named member not yet told, if it may see the case now
    (`COMPANY_STATES`); before that, nothing. Returns the mails sent."""
    c = Complaint.objects.select_related("covenant").get(pk=c.pk)
    if c.state not in COMPANY_STATES:
        return 0
    pending = list(c.namings.filter(notified_at__isnull=True).order_by("at", "id"))
    if not pending:
        return 0
    subject, body = _named_mail(c)
    sent = 0
    for naming in pending:
        emails = sorted(
            set(
                User.objects.filter(organisation_id=naming.organisation_id, is_active=True)
                .exclude(email="")
                .values_list("email", flat=True)
            )
        )
        try:
            for email in emails:  # one mail per person: no one sees another's address
                send_mail(subject, body, None, [email])
                sent += 1
        except OSError as e:  # stays pending; told at the next naming or step
            logger.warning("respondent mail for %s could not be sent: %s", c.reference, e)
            continue
        # Only the first writer marks it: a concurrent call does not audit it twice.
        if RespondentNaming.objects.filter(pk=naming.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        ):
            audit(
                "system",
                "respondent-told",
                c,
                organisation=naming.organisation_id,
                recipients=len(emails),
            )
    return sent


def namings_of(c: Complaint) -> list[dict[str, Any]]:
    """The namings of a case with their reasons, for the committee's case page."""
    return [
        {"n": n, "reason": n.reason}
        for n in c.namings.select_related("organisation").order_by("at", "id")
    ]


def complainant_steps(c: Complaint) -> list[dict[str, Any]]:
    """One step, on the day the first member was named, as the complainant reads
    it. A member named on a later day adds no step: a second "identified" step
    told the complainant that at least two member companies are concerned, that
    is, source at the location (docs/security.md, T32)."""
    first = c.namings.order_by("at").values_list("at", flat=True).first()
    days: list[date] = [timezone.localtime(first).date()] if first else []
    return [
        {
            "on": day,
            "state": "",
            "state_label": str(COMPLAINANT_STEP),
            "ground": "",
            "ground_label": "",
            "reason": str(COMPLAINANT_REASON),
        }
        for day in days
    ]
