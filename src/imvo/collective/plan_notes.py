"""Joint action in a member's own due diligence: its action plan and its submission.

Due diligence sits below this app, so it asks through the registry
(`core.registry.plan_notes_for`, `submission_notes_for`):

- an action-plan action shows the register entries and CAP items it is linked
  to (`PlanLink`), and, for its member, the link to change them;
- a submission shows, in its action-plan part, the progress of the corrective
  action plans the member joined in that covenant, as they stood at the end of
  the year: items, fixed and verified, overdue, and the cost shares it agreed.

Only the member itself and the covenant's secretariat see either (due
diligence shows them only to those who may see the action or submission).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.collective.models import CapItem, CostShare, JointAction, Participation, PlanLink
from imvo.core.money import eur
from imvo.core.registry import EntryNote
from imvo.duediligence.models import Action


def plan_notes(user: Any, action_ids: Sequence[int]) -> dict[int, list[EntryNote]]:
    org = roles.organisation_id(user)
    managed = set(roles.managed_covenant_ids(user))
    admin = roles.is_platform_admin(user)
    actions = Action.objects.filter(pk__in=list(action_ids)).only(
        "pk", "organisation_id", "covenant_id"
    )
    notes: dict[int, list[EntryNote]] = {}
    mine: set[int] = set()
    for a in actions:
        if a.organisation_id == org:
            mine.add(a.pk)
            notes[a.pk] = []
        elif admin or a.covenant_id in managed:
            notes[a.pk] = []
    links = PlanLink.objects.filter(plan_action_id__in=list(notes)).select_related(
        "register_entry", "cap_item__finding__action"
    )
    for link in links.order_by("register_entry_id", "cap_item_id", "id"):
        if link.register_entry is not None:
            e = link.register_entry
            notes[link.plan_action_id].append(
                EntryNote(
                    _("Risk: %(t)s (severity %(s)s, likelihood %(l)s)")
                    % {"t": e.title, "s": e.severity, "l": e.likelihood},
                    url=reverse("risk:entry", args=[e.pk]),
                    link_label=_("register entry"),
                )
            )
        if link.cap_item is not None:
            i = link.cap_item
            notes[link.plan_action_id].append(
                EntryNote(
                    _("CAP item: %(fix)s; %(status)s (joint action: %(action)s)")
                    % {
                        "fix": i.fix[:100],
                        "status": i.get_status_display(),
                        "action": i.finding.action.title,
                    },
                    url=reverse("collective:action", args=[i.finding.action_id]),
                    link_label=_("corrective action plan"),
                )
            )
    for pk in mine:
        notes[pk].append(
            EntryNote(
                _("Link this action to register entries and CAP items"),
                url=reverse("collective:plan_links", args=[pk]),
                link_label=_("Links"),
                suggestion=True,
            )
        )
    return notes


def _end_of(year: int) -> datetime:
    return timezone.make_aware(datetime.combine(date(year, 12, 31), time.max))


def submission_notes(organisation_id: int, covenant_id: int, year: int) -> list[EntryNote]:
    """The member's joint corrective action plans in this covenant, at the end of `year`."""
    until = _end_of(year)
    joined = JointAction.objects.filter(
        covenant_id=covenant_id,
        created__lte=until,
        participations__organisation_id=organisation_id,
        participations__status=Participation.Status.JOINED,
    )
    n_actions = joined.count()
    if not n_actions:
        return []
    items = CapItem.objects.filter(finding__action__in=joined, created__lte=until)
    n_items = items.count()
    verified = items.filter(
        status=CapItem.Status.VERIFIED, verified__isnull=False, verified__lte=until
    ).count()
    cutoff = min(until.date(), timezone.localdate())
    overdue = (
        items.filter(deadline__lt=cutoff)
        .filter(~Q(status=CapItem.Status.VERIFIED) | Q(verified__gt=until))
        .count()
    )
    cost, n_shares = Decimal(0), 0
    for share in CostShare.objects.filter(
        organisation_id=organisation_id, item__in=items, agreed__isnull=False, agreed__lte=until
    ).select_related("item"):
        n_shares += 1
        if share.item.cost_estimate is not None:
            cost += share.item.cost_estimate * share.percent / 100
    lines = [
        EntryNote(
            _(
                "Joint corrective action plans joined: %(a)s; items: %(i)s, of which fixed "
                "and verified: %(v)s; overdue: %(o)s."
            )
            % {"a": n_actions, "i": n_items, "v": verified, "o": overdue},
            url=reverse("collective:index"),
            link_label=_("Joint action"),
        )
    ]
    if n_shares:
        lines.append(
            EntryNote(
                _("Agreed cost shares in these plans: %(c)s (of the items' cost estimates).")
                % {"c": eur(cost.quantize(Decimal("0.01")))}
            )
        )
    return lines
