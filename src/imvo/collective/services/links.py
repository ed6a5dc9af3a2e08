"""Links from a member's action-plan actions to its register entries and CAP items.

Due diligence and risk sit below this app, so the link is kept here (`PlanLink`);
a member links only its own action, its own register entry and an item of a
joint action it joined.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.collective.models import CapItem, JointAction, Participation, PlanLink
from imvo.collective.services import access
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.duediligence.models import Action
from imvo.risk.models import RegisterEntry


def _own_plan_action(user: Any, plan_action_id: int) -> tuple[int, Action]:
    """The member's organisation and one of its own action-plan actions (else refused)."""
    org = roles.organisation_id(user)
    if org is None:
        raise PermissionDeniedError(_("Only a member links its own action plan."))
    plan_action = (
        Action.objects.visible_to(user).filter(pk=plan_action_id, organisation_id=org).first()
    )
    if plan_action is None:
        raise DomainError(_("Choose one of your own action-plan actions."))
    return org, plan_action


def check_link(
    user: Any, plan_action_id: int, register_entry_id: int | None = None,
    cap_item: CapItem | None = None,
) -> PlanLink:  # fmt: skip
    org, plan_action = _own_plan_action(user, plan_action_id)
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
    return links_of_items(user, [item]).get(item.pk, [])


def links_of_items(user: Any, items: list[CapItem]) -> dict[int, list[PlanLink]]:
    """The member's own plan links of each item (by item id), in one query."""
    org = roles.organisation_id(user)
    if org is None or not items:
        return {}
    out: dict[int, list[PlanLink]] = {}
    for link in PlanLink.objects.filter(
        cap_item__in=[i.pk for i in items], organisation_id=org
    ).select_related("plan_action"):
        out.setdefault(link.cap_item_id, []).append(link)  # type: ignore[arg-type]
    return out


def linkable_entries(user: Any, plan_action: Action) -> list[RegisterEntry]:
    """The member's own register entries, those of the action's covenant (or of none) first."""
    org = roles.organisation_id(user)
    if org is None or plan_action.organisation_id != org:
        return []
    return list(
        RegisterEntry.objects.visible_to(user)
        .filter(organisation_id=org)
        .order_by("-priority", "title", "id")
    )


def linkable_items(user: Any, plan_action: Action) -> list[CapItem]:
    """Items of the joint actions (of the plan action's covenant) the member joined."""
    org = roles.organisation_id(user)
    if org is None or plan_action.organisation_id != org:
        return []
    joined = JointAction.objects.filter(
        covenant_id=plan_action.covenant_id,
        participations__organisation_id=org,
        participations__status=Participation.Status.JOINED,
    )
    return list(
        CapItem.objects.filter(finding__action__in=joined)
        .select_related("finding__action__facility")
        .order_by("finding__action_id", "deadline", "id")
    )


def links_of_plan_action(user: Any, plan_action: Action) -> list[PlanLink]:
    org = roles.organisation_id(user)
    if org is None:
        return []
    return list(
        PlanLink.objects.filter(plan_action=plan_action, organisation_id=org).select_related(
            "register_entry", "cap_item__finding__action"
        )
    )


def _ids(values: Iterable[Any], label: str) -> set[int]:
    ids = set()
    for v in values:
        try:
            ids.add(int(str(v)))
        except ValueError:
            raise DomainError(_("%(f)s: %(v)s is not a number.") % {"f": label, "v": v}) from None
    return ids


def check_set_links(
    user: Any, plan_action_id: int, entry_ids: Sequence[Any], item_ids: Sequence[Any]
) -> list[PlanLink]:
    """Replace the links of one of the member's action-plan actions.

    Only the member's own register entries and items of joint actions it joined
    can be chosen; anything else is refused by name, nothing is saved then."""
    org, plan_action = _own_plan_action(user, plan_action_id)
    wanted_entries = _ids(entry_ids, _("Register entry"))
    wanted_items = _ids(item_ids, _("CAP item"))
    entries = {e.pk: e for e in linkable_entries(user, plan_action) if e.pk in wanted_entries}
    items = {i.pk: i for i in linkable_items(user, plan_action) if i.pk in wanted_items}
    if wanted_entries - set(entries):
        raise DomainError(_("Choose only your own register entries."))
    if wanted_items - set(items):
        raise DomainError(_("Choose only items of joint actions your organisation joined."))
    with transaction.atomic():
        PlanLink.objects.filter(plan_action=plan_action, organisation_id=org).delete()
        links = [
            PlanLink(organisation_id=org, plan_action=plan_action, register_entry=e)
            for e in entries.values()
        ] + [
            PlanLink(organisation_id=org, plan_action=plan_action, cap_item=i)
            for i in items.values()
        ]
        PlanLink.objects.bulk_create(links)
    return links
