"""The complaints committee: members' declared seats and interests, and recusal
from a case on a conflict of interest."""

from __future__ import annotations

import logging
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from imvo.accounts.models import CovenantRole
from imvo.accounts.services import (
    AnyUser,
    committee_covenant_ids,
    managed_covenant_ids,
    organisation_id,
    person_name,
    signed_in,
)
from imvo.complaints.audit import actor_name, audit
from imvo.complaints.grants import audit_grant
from imvo.complaints.models import CommitteeMembership, Complaint, Recusal, Substitute
from imvo.complaints.services.access import (
    CaseNotFoundError,
    is_company_party,
    is_substitute,
    respondent_ids,
    role_in_case,
)
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Covenant

logger = logging.getLogger("imvo.complaints")


def _require_committee_member(
    covenant_id: int, member: AnyUser, c: Complaint | None = None
) -> None:
    if covenant_id not in committee_covenant_ids(member) and not (
        c is not None and is_substitute(member, c)
    ):
        raise DomainError(
            _("%(u)s is not on this covenant's complaints committee.") % {"u": person_name(member)}
        )


def check_declare_seat(
    by: AnyUser, covenant: Covenant, member: AnyUser, seat: str, interests: str = ""
) -> CommitteeMembership:
    """Record a committee member's declared seat (the secretariat or the member)."""
    _require_committee_member(covenant.pk, member)
    if not (by == member or covenant.pk in managed_covenant_ids(by)):
        raise PermissionDeniedError(_("Only the member or the secretariat may declare a seat."))
    return do_declare_seat(by, covenant, member, seat, interests)


def do_declare_seat(
    by: AnyUser, covenant: Covenant, member: AnyUser, seat: str, interests: str = ""
) -> CommitteeMembership:
    obj, _created = CommitteeMembership.objects.update_or_create(
        covenant=covenant,
        user=signed_in(member),
        defaults={"seat": seat, "declared_interests": interests},
    )
    audit(by, "seat-declared", None, covenant=covenant.slug, member=actor_name(member), seat=seat)
    return obj


def check_recuse(by: AnyUser, c: Complaint, member: AnyUser, reason: str) -> Recusal:
    """A member stands aside (declared by themself, the secretariat or another member)."""
    role = role_in_case(by, c)
    if role not in ("committee", "secretariat"):
        raise CaseNotFoundError(_("No such case."))
    _require_committee_member(c.covenant_id, member, c)
    return do_recuse(by, c, member, reason)


def do_recuse(by: AnyUser, c: Complaint, member: AnyUser, reason: str) -> Recusal:
    r, _created = Recusal.objects.get_or_create(
        complaint=c,
        user=signed_in(member),
        defaults={"reason": reason.strip(), "declared_by": signed_in(by)},
    )
    audit(by, "recused", c, member=actor_name(member))
    if quorum_shortfall(c):
        # The case page, the case list and the secretariat's covenant page show the
        # block; the secretariat is also told by e-mail (reference only).
        audit(by, "quorum-lost", c, free=len(free_members(c)), quorum=c.procedure().quorum)
        tell_secretariat_quorum_lost(c)
    return r


def tell_secretariat_quorum_lost(c: Complaint) -> int:
    """E-mail the covenant's secretariat that the case needs a substitute. The mail
    names the case only, never its content or who recused. Returns mails sent."""
    emails = sorted(
        {
            r.user.email
            for r in CovenantRole.objects.filter(
                covenant_id=c.covenant_id, role="secretariat", user__is_active=True
            ).select_related("user")
            if r.user.email
        }
    )
    if not emails:
        return 0
    subject = f"[{c.covenant.slug}] complaint {c.reference}: appoint a substitute"
    body = (
        f"Complaint {c.reference} in {c.covenant.name_en} is blocked: after a recusal fewer "
        "committee members than the quorum are free of conflicts on it.\n"
        "Open the case on the platform and appoint a substitute member; this mail holds no "
        "case content."
    )
    try:
        send_mail(subject, body, None, emails)
    except OSError as e:  # the block stays visible on the case and covenant pages
        logger.warning("quorum mail for %s could not be sent: %s", c.reference, e)
        return 0
    return len(emails)


def check_appoint_substitute(
    by: AnyUser, c: Complaint, substitute: AnyUser, reason: str
) -> Substitute:
    """The covenant's secretariat appoints a substitute member to a blocked case.

    The substitute must be an active account, not already free to act on the
    case, not recused from it, and not of the organisation complained about.
    """
    if c.covenant_id not in managed_covenant_ids(by):
        if role_in_case(by, c) is None:
            raise CaseNotFoundError(_("No such case."))
        raise PermissionDeniedError(_("Only the covenant's secretariat appoints a substitute."))
    if substitute is None or not substitute.is_active:
        raise DomainError(_("Choose an active account as the substitute."))
    if Recusal.objects.filter(complaint=c, user_id=substitute.pk).exists():
        raise DomainError(_("%(u)s is recused from this case.") % {"u": person_name(substitute)})
    if substitute.pk in free_members(c):
        raise DomainError(_("%(u)s can already act on this case.") % {"u": person_name(substitute)})
    if organisation_id(substitute) in respondent_ids(c):
        raise DomainError(
            _("%(u)s belongs to the company complained about and cannot sit on the case.")
            % {"u": person_name(substitute)}
        )
    if is_company_party(substitute, c):
        raise DomainError(
            _("%(u)s belongs to a company this case was sent to, a party to this case.")
            % {"u": person_name(substitute)}
        )
    if len((reason or "").strip()) < 5:
        raise DomainError(_("Say why this substitute is appointed (for the audit trail)."))
    return do_appoint_substitute(by, c, substitute, reason)


def do_appoint_substitute(
    by: AnyUser, c: Complaint, substitute: AnyUser, reason: str
) -> Substitute:
    """Write the appointment to the case and the audit trail (with the covenant, so
    the committee page lists it with the other role grants)."""
    with transaction.atomic():
        sub = Substitute.objects.create(
            complaint=c,
            user=signed_in(substitute),
            reason=(reason or "").strip(),
            appointed_by=signed_in(by),
        )
        audit_grant(by, "substitute-appointed", c.covenant_id, substitute, "substitute", c)
        if not quorum_shortfall(c):
            audit(by, "quorum-restored", c, free=len(free_members(c)))
    return sub


def free_members(c: Complaint) -> list[int]:
    """Committee members of the case's covenant and substitutes appointed to it
    who are not recused from it."""
    recused = set(Recusal.objects.filter(complaint=c).values_list("user_id", flat=True))
    members = set(
        CovenantRole.objects.filter(covenant_id=c.covenant_id, role="committee").values_list(
            "user_id", flat=True
        )
    ) | {
        # A substitute whose company became a party no longer sits (T71).
        s.user_id
        for s in Substitute.objects.filter(complaint=c).select_related("user")
        if not is_company_party(s.user, c)
    }
    return sorted(uid for uid in members if uid not in recused)


def quorum_shortfall(c: Complaint) -> int:
    """How many members the case lacks to reach the procedure's quorum (0: none)."""
    return max(0, c.procedure().quorum - len(free_members(c)))


def require_quorum(c: Complaint) -> None:
    """A committee step needs a quorum of members free of conflicts on the case."""
    if quorum_shortfall(c):
        raise DomainError(
            _(
                "This case is blocked: fewer committee members than the quorum are free of"
                " conflicts on it. The secretariat must appoint a substitute member."
            )
        )


def committee_of(covenant: Covenant) -> list[dict[str, Any]]:
    """The covenant's committee members with their declared seats."""
    seats = {m.user_id: m for m in CommitteeMembership.objects.filter(covenant=covenant)}
    out = []
    for r in CovenantRole.objects.filter(covenant=covenant, role="committee").select_related(
        "user"
    ):
        out.append({"user": r.user, "seat": seats.get(r.user_id)})
    return out
