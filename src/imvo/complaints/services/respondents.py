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

Every respondent member is told by e-mail, once, when it may first see the
case: the member the complainant named when admissibility is decided, a member
the committee names at the naming if the case is already past admissibility,
else when the case moves into a state the company sees (`tell_respondents`,
called by the naming and by `workflow.do_move`). The mail goes to each active
person of the member with an address, one mail each, in English and Dutch, and
names the covenant and the case reference only: nothing of the complaint or of
who made it (the way the quorum and deadline mails hold no case content). A
mail server that is down, or a backend that raises, is logged and the member
stays pending; the daily job `complaints-respondent-mail`
(`tell_pending_respondents`) and the case's next step retry it. The member is
marked told in the same transaction as the sending, after a mail went out, so
a failed or interrupted send is retried and a sent one is not sent again
(`_tell`).

A member a location complaint was only forwarded to (`services/forwarding.py`)
is told the same way, once, at the forwarding (`tell_forwarded`,
`Forwarding.notified_at`), in the member's language (`member_language`): the
covenant and the reference, not which or how many other members got it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
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
    Forwarding,
    RespondentNaming,
    State,
)
from imvo.complaints.services.access import (
    named_by_complainant,
    require_handler,
    require_reason,
    respondent_ids,
)
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
    tell_respondents(c)
    return namings


def _respondent_mail(c: Complaint) -> tuple[str, str]:
    """The mail to a respondent member, in English then Dutch: the covenant and
    the reference, nothing of the complaint or the complainant. The same for the
    member the complainant named and for one the committee named."""
    parts = []
    for lang in ("en", "nl"):
        with override(lang):
            parts.append(
                (
                    _("Complaint %(ref)s concerns your organisation") % {"ref": c.reference},
                    _(
                        "Your organisation is a respondent to complaint %(ref)s before the"
                        " complaints committee of %(covenant)s. Sign in to the platform to"
                        " read what the committee shares and to answer. This mail holds no"
                        " case content."
                    )
                    % {"covenant": c.covenant.name, "ref": c.reference},
                )
            )
    (subject_en, body_en), (subject_nl, body_nl) = parts
    return f"[{c.covenant.slug}] {subject_en} / {subject_nl}", f"{body_en}\n\n{body_nl}"


def _forwarded_mail(c: Complaint, language: str) -> tuple[str, str]:
    """The mail to a member a location complaint was passed to, in the member's
    language: the covenant and the reference. Not the location, the complaint,
    the complainant, nor which or how many other members got it: the member
    reads on the case page what it may see."""
    with override(language):
        subject = _("A complaint was passed to your organisation: %(ref)s") % {"ref": c.reference}
        body = _(
            "The secretariat of %(covenant)s passed complaint %(ref)s to your"
            " organisation, because it concerns a production location on your"
            " supplier list. Sign in to the platform to read it. This mail holds no"
            " case content."
        ) % {"covenant": c.covenant.name, "ref": c.reference}
    return f"[{c.covenant.slug}] {subject}", body


def member_language(organisation_id: int) -> str:
    """The language a member is written to: Dutch for an organisation in the
    Netherlands or Belgium (the covenants' members mostly are), else English.
    The platform records no language per person or member; the organisation's
    country is the best sign it has, and members read only Dutch or English."""
    country = Organisation.objects.filter(pk=organisation_id).values_list("country", flat=True)
    return "nl" if (country.first() or "NL").upper() in ("NL", "BE") else "en"


def _addresses(organisation_id: int) -> list[str]:
    return sorted(
        set(
            User.objects.filter(organisation_id=organisation_id, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


class _NothingSent(Exception):
    """No mail of a member went out: the mark is rolled back, the member stays pending."""


def _tell(
    c: Complaint,
    organisation_id: int,
    row: QuerySet[Any],
    field: str,
    mail: tuple[str, str],
    action: str = "respondent-told",
) -> int:
    """E-mail one member's people, once; the mark (`field`) is written only
    with a send that went out, in one transaction:

    1. the mail connection is opened first, holding no lock: a server that is
       down fails here and nothing is marked;
    2. the member's row is locked (`select_for_update(skip_locked)`: on
       PostgreSQL a row another run is sending for is skipped, not waited for)
       and marked by a conditional UPDATE (on SQLite, where there are no row
       locks, this UPDATE takes the database's write lock, so of two runs at
       once the second finds the mark and sends nothing);
    3. the mails go out, one per person (no one sees another's address);
    4. if none went out (the backend raised or refused each), the transaction
       rolls back: the member stays pending for the next step or the daily
       retry. Once one of its people got the mail the member counts as told
       and the transaction commits (a retry would send that person a second
       mail); those it could not reach are logged, by number.

    A process killed while sending rolls the mark back with the transaction: the
    next run sends again. So a member is told at least once, and twice only if
    the process dies between the mail server's acceptance and the commit, a
    window of one database round trip. Returns the mails sent."""
    pending = row.filter(**{f"{field}__isnull": True})
    if not pending.exists():
        return 0  # told already
    emails = _addresses(organisation_id)
    subject, body = mail
    sent = 0
    try:
        with contextlib.ExitStack() as stack:
            connection = stack.enter_context(mailers.default) if emails else None
            with transaction.atomic():
                if pending.select_for_update(skip_locked=True).first() is None:
                    return 0  # being told by another run right now
                if not pending.update(**{field: timezone.now()}):
                    return 0  # another run told it meanwhile (SQLite)
                failed = 0
                for email in emails:
                    assert connection is not None
                    try:
                        sent += (
                            connection.send_messages([EmailMessage(subject, body, None, [email])])
                            or 0
                        )
                    except Exception as e:  # any backend error: counted, the others still tried
                        failed += 1
                        logger.warning(
                            "%s mail for %s not sent: %s", action, c.reference, type(e).__name__
                        )
                if emails and not sent:
                    raise _NothingSent()
                if failed:
                    logger.warning(
                        "%s mail for %s: %d of %d sent", action, c.reference, sent, len(emails)
                    )
                audit("system", action, c, organisation=organisation_id, recipients=sent)
    except Exception as e:  # the server down or refusing: pending, retried
        logger.warning(
            "%s mail for %s could not be sent, left pending: %s",
            action,
            c.reference,
            type(e).__name__,
        )
        return 0
    return sent


def tell_forwarded(c: Complaint) -> int:
    """E-mail every member the complaint was forwarded to and not yet told, in the
    member's language, once (`Forwarding.notified_at`). A forwarded member sees
    the case from the forwarding on, whatever its state, so it is told at once.
    Each member gets its own mail: it never learns which other members got one.
    Called by the forwarding and by the daily job. Returns the mails sent."""
    sent = 0
    for f in c.forwardings.filter(notified_at__isnull=True).order_by("at", "id"):
        sent += _tell(
            c,
            f.organisation_id,
            Forwarding.objects.filter(pk=f.pk),
            "notified_at",
            _forwarded_mail(c, member_language(f.organisation_id)),
            action="forwarding-told",
        )
    return sent


def tell_respondents(c: Complaint) -> int:
    """E-mail every respondent member not yet told, if it may see the case now
    (`COMPANY_STATES`); before that, nothing. The member the complainant named
    (`Complaint.respondent_told_at`) and each member the committee named
    (`RespondentNaming.notified_at`) are told the same way, once; so is each
    member a location complaint was forwarded to (`tell_forwarded`, in any
    state). Called by a naming, a forwarding, every step into a state the
    company sees and by the daily job (`tell_pending_respondents`). Returns the
    mails sent."""
    c = Complaint.objects.select_related("covenant").get(pk=c.pk)
    sent = tell_forwarded(c)
    if c.state not in COMPANY_STATES:
        return sent
    filed_against = named_by_complainant(c)
    if filed_against and c.respondent_told_at is None:
        sent += _tell(
            c,
            filed_against,
            Complaint.objects.filter(pk=c.pk),
            "respondent_told_at",
            _respondent_mail(c),
        )
    for naming in c.namings.filter(notified_at__isnull=True).order_by("at", "id"):
        sent += _tell(
            c,
            naming.organisation_id,
            RespondentNaming.objects.filter(pk=naming.pk),
            "notified_at",
            _respondent_mail(c),
        )
    return sent


def pending_respondent_cases() -> QuerySet[Complaint]:
    """Cases with a member not yet told: a respondent of a case the company sees,
    or a member the case was forwarded to (a mail server that was down)."""
    namings = RespondentNaming.objects.filter(complaint_id=OuterRef("pk"))
    filed_against = Q(respondent__isnull=False, respondent_told_at__isnull=True) & ~Exists(
        namings.filter(organisation_id=OuterRef("respondent_id"))
    )
    forwarded = Exists(
        Forwarding.objects.filter(complaint_id=OuterRef("pk"), notified_at__isnull=True)
    )
    return Complaint.objects.filter(
        Q(state__in=COMPANY_STATES)
        & (filed_against | Exists(namings.filter(notified_at__isnull=True)))
        | forwarded
    ).order_by("pk")


def tell_pending_respondents() -> tuple[int, int]:
    """The daily retry: tell every respondent or forwarded member still pending.
    Returns (mails sent, cases still pending after the run)."""
    sent = sum(tell_respondents(c) for c in pending_respondent_cases())
    return sent, pending_respondent_cases().count()


def namings_of(c: Complaint) -> list[dict[str, Any]]:
    """The namings of a case with their reasons, for the committee's case page."""
    return [
        {"n": n, "reason": n.reason}
        for n in c.namings.select_related("organisation", "by").order_by("at", "id")
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
