"""Who may do what in a joint action: one place, read by every other service here.

- the covenant's secretariat (and platform admins) see and steer every action;
- a member invited to an action sees the action and its findings, never who else
  was invited, and may join or decline;
- a member that joined sees the other joined members, works on the CAP and
  agrees cost shares;
- a named verifier sees the CAP items and their evidence (not the members, not
  the cost shares) and is the only one who verifies an item;
- everyone else gets a 404 from `JointAction.objects.visible_to`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.collective.models import JointAction, Participation, Verifier
from imvo.core.errors import PermissionDeniedError
from imvo.covenants.seams import company_party_adherences


@dataclass(frozen=True)
class Standing:
    """Who the user is in one action, read once for a page that asks several times
    (the same answers as `participation`, `is_steward`, `may_work_on`, `sees_members`)."""

    mine: Participation | None
    steward: bool

    @property
    def joined(self) -> bool:
        return self.mine is not None and self.mine.status == Participation.Status.JOINED

    @property
    def invited(self) -> bool:
        return self.mine is not None and self.mine.status == Participation.Status.INVITED

    @property
    def works(self) -> bool:
        return self.steward or self.joined

    @property
    def sees_members(self) -> bool:
        return self.works


def _member_organisation(user: Any, action: JointAction) -> int | None:
    """The user's organisation while it is an active member company of the action's
    covenant, else None: a company that left the covenant (withdrawn, suspended,
    excluded) no longer takes part in its joint actions, as it no longer proposes
    one (`joint.proposing_covenant_ids`); its participation read alone kept showing
    it who joined (docs/security.md, T78)."""
    org = roles.organisation_id(user)
    if (
        org is None
        or not company_party_adherences(org).filter(covenant_id=action.covenant_id).exists()
    ):
        return None
    return org


def standing(user: Any, action: JointAction, rows: list[Participation]) -> Standing:
    """The user's standing in the action, from its participations already read."""
    org = _member_organisation(user, action)
    mine = next((p for p in rows if org is not None and p.organisation_id == org), None)
    return Standing(mine, is_steward(user, action))


def participation(user: Any, action: JointAction) -> Participation | None:
    org = _member_organisation(user, action)
    if org is None:
        return None
    return Participation.objects.filter(action=action, organisation_id=org).first()


def is_steward(user: Any, action: JointAction) -> bool:
    """The secretariat of the action's covenant (or a platform admin)."""
    return roles.is_secretariat(user, action.covenant_id)


def has_joined(user: Any, action: JointAction) -> bool:
    p = participation(user, action)
    return p is not None and p.status == Participation.Status.JOINED


def is_verifier(user: Any, action: JointAction) -> bool:
    return bool(
        user
        and user.is_authenticated
        and Verifier.objects.filter(action=action, user_id=user.pk).exists()
    )


def may_work_on(user: Any, action: JointAction) -> bool:
    """May change the CAP: the secretariat or a member that joined."""
    return is_steward(user, action) or has_joined(user, action)


def require_work(user: Any, action: JointAction) -> None:
    if not may_work_on(user, action):
        raise PermissionDeniedError(
            _("Only members that joined this action, and the secretariat, may change its plan.")
        )


def require_open(action: JointAction) -> None:
    if action.status != JointAction.Status.OPEN:
        raise PermissionDeniedError(_("This joint action has ended; its plan is kept as it was."))


def sees_members(user: Any, action: JointAction) -> bool:
    """Who may see which members take part: the secretariat, and members that joined."""
    return may_work_on(user, action)
