"""The stakeholder engagement log (CSDDD Art. 13, ESRS S2-2).

A member records who it consulted (rights holders, unions, NGOs), when, how,
on what and with what outcome, linked to its risk-register entries and
actions. A union or NGO on the platform that an entry names sees that entry
and may confirm it; a confirmed entry is no longer changed by the member
(it would no longer be what was confirmed).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.models import User
from imvo.accounts.seams import AnyUser
from imvo.core.errors import DomainError
from imvo.covenants.models import Covenant, Organisation
from imvo.duediligence.models import Action
from imvo.regulation.models import EngagementEntry
from imvo.regulation.services.access import NotFound, require_active_member
from imvo.risk.models import RegisterEntry

CONFIRMERS = (Organisation.Type.UNION, Organisation.Type.NGO)


def entries(user: AnyUser, covenant: Covenant) -> QuerySet[EngagementEntry]:
    return (
        EngagementEntry.objects.visible_to(user)
        .filter(covenant=covenant)
        .select_related("organisation", "stakeholder_organisation")
        .prefetch_related("register_entries", "actions")
    )


def named_for(user: AnyUser) -> QuerySet[EngagementEntry]:
    """Entries of any member that name the user's union or NGO."""
    oid = roles.organisation_id(user)
    if not oid:
        return EngagementEntry.objects.none()
    return EngagementEntry.objects.filter(stakeholder_organisation_id=oid).select_related(
        "organisation", "covenant"
    )


def confirmers(covenant: Covenant) -> QuerySet[Organisation]:
    """Unions and NGOs of the covenant an entry can name (they can then confirm it)."""
    return Organisation.objects.in_covenant(covenant).filter(type__in=CONFIRMERS).order_by("name")


def check_record(
    user: AnyUser, covenant: Covenant, *, when: date, kind: str, stakeholder: str, method: str,
    topic: str, outcome: str = "", stakeholder_organisation: int | None = None,
    register_entries: Iterable[int] = (), actions: Iterable[int] = (),
) -> EngagementEntry:  # fmt: skip
    org = require_active_member(user, covenant)
    if kind not in EngagementEntry.Kind.values:
        raise DomainError(_("Choose who was consulted."))
    if method not in EngagementEntry.Method.values:
        raise DomainError(_("Choose how they were consulted."))
    if not stakeholder.strip():
        raise DomainError(
            _("Name the stakeholder consulted (a group of workers may be described).")
        )
    if not topic.strip():
        raise DomainError(_("Say on what they were consulted."))
    if when > timezone.localdate():
        raise DomainError(
            _("An engagement is recorded after it took place: the date is in the future.")
        )
    named = None
    if stakeholder_organisation:
        named = confirmers(covenant).filter(pk=stakeholder_organisation).first()
        if named is None:
            raise DomainError(_("The union or NGO named is not one of this covenant's parties."))
    risks = list(RegisterEntry.objects.filter(organisation=org, pk__in=list(register_entries)))
    acts = list(Action.objects.filter(organisation=org, covenant=covenant, pk__in=list(actions)))
    entry = EngagementEntry(
        covenant=covenant, organisation=org, date=when, kind=kind, stakeholder=stakeholder.strip(),
        stakeholder_organisation=named, method=method, topic=topic.strip(),
        outcome=outcome.strip(),
    )  # fmt: skip
    return do_record(entry, risks, acts)


@transaction.atomic
def do_record(
    entry: EngagementEntry, risks: Iterable[RegisterEntry] = (), actions: Iterable[Action] = ()
) -> EngagementEntry:
    entry.save()
    entry.register_entries.set(list(risks))
    entry.actions.set(list(actions))
    return entry


def check_confirm(user: AnyUser, entry_id: int) -> EngagementEntry:
    """The union or NGO an entry names confirms that it took place as recorded."""
    oid = roles.organisation_id(user)
    entry = EngagementEntry.objects.filter(pk=entry_id).first()
    if entry is None or not oid or entry.stakeholder_organisation_id != oid:
        raise NotFound(_("There is no such engagement entry."))
    if entry.confirmed_at:
        raise DomainError(_("This entry is already confirmed."))
    return do_confirm(entry, user if isinstance(user, User) else None)


def do_confirm(entry: EngagementEntry, by: User | None) -> EngagementEntry:
    entry.confirmed_at = timezone.now()
    entry.confirmed_by = by
    entry.save(update_fields=["confirmed_at", "confirmed_by"])
    return entry
