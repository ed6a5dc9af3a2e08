"""Proposing a joint action and deciding to join it, without exposing anyone.

A member (or the secretariat) proposes an action on a facility it knows, or on
a risk in a country. Every other member of the covenant that discloses the
facility (or, for a country, a facility there) is invited. The invitation says
only that some member or the secretariat proposed it; the invited members learn
of each other only once they have joined.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.collective import overlap
from imvo.collective.models import JointAction, Participation
from imvo.collective.services import access
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Covenant, Organisation
from imvo.covenants.seams import company_party_adherences


def proposing_covenant_ids(org_id: int | None) -> set[int]:
    """The covenants in which the organisation may propose joint action: those it is
    an active member company of. A union, NGO, government or branch organisation is
    a party but not a member that sources (its people verify, they do not join), and
    a suspended, withdrawn or excluded company no longer acts in the covenant: as a
    proposer it would join the action and see every member that joins it."""
    return set(company_party_adherences(org_id).values_list("covenant_id", flat=True))


def _require_counts_shown(covenant_id: int) -> None:
    """A member proposes or invites only once K members disclose in the covenant:
    who is invited (or that no one is) would otherwise tell it another member's list."""
    if not overlap.counts_shown(covenant_id):
        raise PermissionDeniedError(
            _(
                "Members propose joint action once at least %(k)s members have disclosed "
                "their production locations; until then, ask the covenant's secretariat."
            )
            % {"k": overlap.disclosure_threshold(covenant_id)}
        )


def check_propose(
    user: Any,
    covenant: Covenant,
    title: str,
    description: str = "",
    facility_id: int | None = None,
    country: str = "",
    theme_code: str = "",
) -> JointAction:
    """Validate and authorise a proposal, then make it and send the invitations."""
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the joint action a title."))
    org = roles.organisation_id(user)
    steward = roles.is_secretariat(user, covenant)
    if not steward and covenant.pk not in proposing_covenant_ids(org):
        raise PermissionDeniedError(
            _("Only member companies of this covenant and its secretariat propose joint actions.")
        )
    proposer = None if steward and not org else org
    if not steward:
        _require_counts_shown(covenant.pk)
    country = (country or "").strip().upper()
    if facility_id is not None:
        f = overlap.facility(facility_id)
        if f is None:
            raise DomainError(_("No such facility."))
        members = overlap.members_at([facility_id], covenant.pk).get(facility_id, set())
        if proposer is not None and proposer not in members:
            raise PermissionDeniedError(_("This facility is not on your current supplier list."))
        country = f.country
    elif len(country) == 2:
        members = overlap.members_in_country(country, covenant.pk)
    else:
        raise DomainError(
            _("Choose a facility, or a country (two-letter code) for a regional action.")
        )
    invitees = members - ({proposer} if proposer else set())
    if not invitees and (facility_id is not None or proposer is None):
        # A member's regional proposal goes ahead with no one to invite: "no one"
        # would tell it that no other member sources in the country, a figure below
        # K (the member sees the count of others at its own facilities anyway).
        raise DomainError(
            _("No other member of the covenant sources there (yet): there is no one to invite.")
        )
    return do_propose(user, covenant, title, description, facility_id, country, theme_code,
                      proposer, invitees)  # fmt: skip


def do_propose(
    user: Any,
    covenant: Covenant,
    title: str,
    description: str,
    facility_id: int | None,
    country: str,
    theme_code: str,
    proposer_org: int | None,
    invitees: set[int],
) -> JointAction:
    with transaction.atomic():
        action = JointAction.objects.create(
            covenant=covenant,
            facility_id=facility_id,
            country=country,
            theme_code=(theme_code or "").strip(),
            title=title,
            description=(description or "").strip(),
            proposed_by_org_id=proposer_org,
            proposed_by=user if getattr(user, "pk", None) else None,
        )
        now = timezone.now()
        rows = [
            Participation(action=action, organisation_id=o, status=Participation.Status.INVITED)
            for o in sorted(invitees)
        ]
        if proposer_org is not None:
            rows.append(
                Participation(
                    action=action,
                    organisation_id=proposer_org,
                    status=Participation.Status.JOINED,
                    decided=now,
                    decided_by=user,
                )
            )
        Participation.objects.bulk_create(rows)
    return action


def check_invite_newcomers(user: Any, action: JointAction) -> int:
    """Invite the members that began sourcing at the facility (or in the country) after
    the proposal. Members that declined or left are not asked again. Returns how many."""
    access.require_work(user, action)
    access.require_open(action)
    if not roles.is_secretariat(user, action.covenant):
        _require_counts_shown(action.covenant_id)
    if action.facility_id is not None:
        members = overlap.members_at([action.facility_id], action.covenant_id).get(
            action.facility_id, set()
        )
    else:
        members = overlap.members_in_country(action.country, action.covenant_id)
    known = set(action.participations.values_list("organisation_id", flat=True))
    new = sorted(members - known)
    Participation.objects.bulk_create(
        Participation(action=action, organisation_id=o, status=Participation.Status.INVITED)
        for o in new
    )
    return len(new)


DECISIONS = {
    "join": Participation.Status.JOINED,
    "decline": Participation.Status.DECLINED,
    "leave": Participation.Status.LEFT,
}


def check_decide(user: Any, action: JointAction, decision: str) -> Participation:
    """An invited member joins or declines; a joined member may leave."""
    p = access.participation(user, action)
    if p is None or p.status not in Participation.SEES_ACTION:
        raise PermissionDeniedError(_("Your organisation is not invited to this joint action."))
    access.require_open(action)
    if decision not in DECISIONS:
        raise DomainError(_("Choose to join, to decline or to leave."))
    allowed = {
        Participation.Status.INVITED: {"join", "decline"},
        Participation.Status.JOINED: {"leave"},
    }[Participation.Status(p.status)]
    if decision not in allowed:
        raise DomainError(_("Your organisation has already decided on this action."))
    return do_decide(user, p, DECISIONS[decision])


def do_decide(user: Any, p: Participation, status: str) -> Participation:
    with transaction.atomic():
        p.status = status
        p.decided = timezone.now()
        p.decided_by = user if getattr(user, "pk", None) else None
        if status != Participation.Status.JOINED:
            p.public_consent = False
            # A member that leaves stops sharing costs of what is not yet agreed.
            from imvo.collective.models import CostShare

            CostShare.objects.filter(
                item__finding__action_id=p.action_id, organisation_id=p.organisation_id,
                agreed__isnull=True,
            ).delete()  # fmt: skip
        p.save()
    return p


def _members_behind(action: JointAction, org_ids: list[int]) -> int:
    """How many members an action's invitation figures rest on (`org_ids`: its
    participations): every invited member sources there; the proposing member only
    if it does too (for a facility action it must; a regional proposer need not
    source in the country)."""
    proposer = action.proposed_by_org_id
    invited = sum(1 for o in org_ids if o != proposer)
    if proposer is None or proposer not in org_ids:
        return invited
    if action.facility_id is not None:
        return invited + 1
    return invited + overlap.sources_in_country(proposer, action.country, action.covenant_id)


def invitation_counts_shown(
    user: Any,
    action: JointAction,
    org_ids: list[int] | None = None,
    *,
    steward: bool | None = None,
    k: int | None = None,
) -> bool:
    """Whether `user` may read how many members the action invited (or answered).

    The secretariat sees who sources where anyway. Anyone else (an invited or joined
    member, a verifier) reads the figures only when at least K members stand behind
    them (K: the covenant's disclosure threshold, as on the public list): a regional
    action invites every member with a facility in the country, so "1 invitation"
    would say that one member sources in Myanmar, where the public list shows
    nothing below K. Below K the page says so without a number. (`org_ids`,
    `steward`, `k`: what the caller has read already.)"""
    if steward if steward is not None else access.is_steward(user, action):
        return True
    if org_ids is None:
        org_ids = list(action.participations.values_list("organisation_id", flat=True))
    if k is None:
        k = overlap.disclosure_threshold(action.covenant_id)
    return _members_behind(action, org_ids) >= k


@dataclass(frozen=True)
class People:
    """What the asker may know about who takes part."""

    joined: list[str]  # organisation names; empty unless the asker may see them
    # Invitations not yet answered, and declined or left: counts, None when the asker
    # may not read them (`invitation_counts_shown`).
    invited_open: int | None
    declined: int | None
    all_rows: list[Participation]  # only for the secretariat, else empty
    k: int = 0  # the covenant's disclosure threshold, for the page's wording


def people(
    user: Any,
    action: JointAction,
    rows: list[Participation] | None = None,
    standing: access.Standing | None = None,
) -> People:
    """`rows`: the action's participations with their organisations, when read already."""
    if rows is None:
        rows = list(action.participations.select_related("organisation"))
    if standing is None:
        standing = access.standing(user, action, rows)
    open_count: int | None = sum(1 for p in rows if p.status == Participation.Status.INVITED)
    declined: int | None = sum(1 for p in rows if p.status != Participation.Status.INVITED
                               and p.status != Participation.Status.JOINED)  # fmt: skip
    k = overlap.disclosure_threshold(action.covenant_id)
    org_ids = [p.organisation_id for p in rows]
    if not invitation_counts_shown(user, action, org_ids, steward=standing.steward, k=k):
        open_count = declined = None
    if not standing.sees_members:
        return People([], open_count, declined, [], k)
    joined = [p.organisation.name for p in rows if p.status == Participation.Status.JOINED]
    return People(joined, open_count, declined, rows if standing.steward else [], k)


def joined_organisations(
    action: JointAction, rows: list[Participation] | None = None
) -> list[Organisation]:
    """The joined members, by name (`rows`: the participations with their
    organisations, when read already)."""
    if rows is None:
        rows = list(action.participations.select_related("organisation"))
    # Participations come ordered by organisation name (their Meta ordering).
    return [p.organisation for p in rows if p.status == Participation.Status.JOINED]


def actions_for(user: Any) -> list[tuple[JointAction, str]]:
    """The actions the user sees, with their role in each (for the index page)."""
    out = []
    org = roles.organisation_id(user)
    mine = {}
    if org is not None:
        mine = dict(
            Participation.objects.filter(organisation_id=org).values_list("action_id", "status")
        )
    qs = JointAction.objects.visible_to(user).select_related("covenant", "facility")
    for a in qs:
        status = mine.get(a.pk)
        role = (
            str(Participation.Status(status).label)
            if status
            else _("Secretariat")
            if access.is_steward(user, a)
            else _("Verifier")
        )
        out.append((a, role))
    return out
