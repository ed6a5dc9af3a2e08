"""Links from a member's action-plan actions to its register entries and CAP items.

Due diligence and risk sit below this app, so the link is kept here (`PlanLink`);
a member links only its own action, its own register entry and an item of a
joint action it joined.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.collective.models import CapItem, PlanLink
from imvo.collective.services import access
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.duediligence.models import Action
from imvo.risk.models import RegisterEntry


def check_link(
    user: Any, plan_action_id: int, register_entry_id: int | None = None,
    cap_item: CapItem | None = None,
) -> PlanLink:  # fmt: skip
    org = roles.organisation_id(user)
    if org is None:
        raise PermissionDeniedError(_("Only a member links its own action plan."))
    plan_action = (
        Action.objects.visible_to(user).filter(pk=plan_action_id, organisation_id=org).first()
    )
    if plan_action is None:
        raise DomainError(_("Choose one of your own action-plan actions."))
    entry = None
    if register_entry_id is not None:
        entry = (
            RegisterEntry.objects.visible_to(user)
            .filter(pk=register_entry_id, organisation_id=org)
            .first()
        )
        if entry is None:
            raise DomainError(_("Choose one of your own register entries."))
    if cap_item is not None and not access.has_joined(user, cap_item.action):
        raise PermissionDeniedError(_("Only members that joined link to this plan's items."))
    if entry is None and cap_item is None:
        raise DomainError(_("Link the action to a register entry or a CAP item."))
    link, _created = PlanLink.objects.get_or_create(
        organisation_id=org, plan_action=plan_action, register_entry=entry, cap_item=cap_item
    )
    return link


def plan_actions_for(user: Any, covenant_id: int) -> list[Action]:
    org = roles.organisation_id(user)
    if org is None:
        return []
    return list(
        Action.objects.visible_to(user).filter(organisation_id=org, covenant_id=covenant_id)
    )


def links_of_item(user: Any, item: CapItem) -> list[PlanLink]:
    org = roles.organisation_id(user)
    if org is None:
        return []
    return list(
        PlanLink.objects.filter(cap_item=item, organisation_id=org).select_related("plan_action")
    )
