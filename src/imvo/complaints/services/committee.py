"""The complaints committee: members' declared seats and interests, and recusal
from a case on a conflict of interest."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from imvo.accounts.models import CovenantRole
from imvo.accounts.services import AnyUser, committee_covenant_ids, managed_covenant_ids, signed_in
from imvo.complaints.audit import actor_name, audit
from imvo.complaints.models import CommitteeMembership, Complaint, Recusal
from imvo.complaints.services.access import CaseNotFoundError, role_in_case
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Covenant


def _require_committee_member(covenant_id: int, member: AnyUser) -> None:
    if covenant_id not in committee_covenant_ids(member):
        raise DomainError(
            _("%(u)s is not on this covenant's complaints committee.") % {"u": member}
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
    _require_committee_member(c.covenant_id, member)
    return do_recuse(by, c, member, reason)


def do_recuse(by: AnyUser, c: Complaint, member: AnyUser, reason: str) -> Recusal:
    r, _created = Recusal.objects.get_or_create(
        complaint=c,
        user=signed_in(member),
        defaults={"reason": reason.strip(), "declared_by": signed_in(by)},
    )
    audit(by, "recused", c, member=actor_name(member))
    if quorum_shortfall(c):
        # The case page and the case list show the block to the secretariat.
        audit(by, "quorum-lost", c, free=len(free_members(c)), quorum=c.procedure().quorum)
    return r


def free_members(c: Complaint) -> list[int]:
    """Committee members of the case's covenant who are not recused from it."""
    recused = set(Recusal.objects.filter(complaint=c).values_list("user_id", flat=True))
    return [
        uid
        for uid in CovenantRole.objects.filter(covenant_id=c.covenant_id, role="committee")
        .values_list("user_id", flat=True)
        .distinct()
        if uid not in recused
    ]


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
