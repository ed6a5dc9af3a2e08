"""Notes on a member's risk-register entries: leverage and shared facilities.

For an entry in a country, the member's facilities there, each with its
purchase-share band and how many other covenant members disclose it (a count,
never who). Where a severe risk sits at a shared facility, a suggestion to
propose joint action. The ranking stays the register's (UNGP 19: leverage
shapes the action, not the priority).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from imvo.accounts import seams as roles
from imvo.collective.models import JointAction, Participation
from imvo.collective.services.leverage import MyFacility, my_facilities
from imvo.core.registry import EntryNote
from imvo.risk.models import RegisterEntry

# Severity runs 3..12 (scale + scope + irremediable character); from 9 on a risk is
# severe enough that acting alone with little leverage is not enough.
SEVERE = 9
MAX_FACILITIES_SHOWN = 5
# The heading of the register's column these notes fill (risk's template; translated here,
# in the catalogue of the app that fills the column).
COLUMN = gettext_noop("Leverage and shared facilities")


def _facility_note(f: MyFacility) -> EntryNote:
    band = (
        _("purchase share %(b)s") % {"b": f.share_band + " %"}
        if f.share_band
        else _("purchase share not recorded")
    )
    if f.others:
        text = _("%(name)s: %(band)s; other covenant members sourcing here: %(n)s") % {
            "name": f.name,
            "band": band,
            "n": f.others,
        }
    else:
        text = _("%(name)s: %(band)s") % {"name": f.name, "band": band}
    return EntryNote(
        text=text,
        url=reverse("collective:leverage", args=[f.facility_id]),
        link_label=_("Leverage"),
    )


def notes_for(user: Any, entry_ids: Sequence[int]) -> dict[int, list[EntryNote]]:
    org = roles.organisation_id(user)
    if org is None or not entry_ids:
        return {}
    entries = list(
        RegisterEntry.objects.visible_to(user).filter(pk__in=list(entry_ids), organisation_id=org)
    )
    if not entries:
        return {}
    by_country: dict[str, list[MyFacility]] = defaultdict(list)
    for f in my_facilities(user):
        by_country[f.country].append(f)
    joined_at = set(
        Participation.objects.filter(
            organisation_id=org,
            status__in=Participation.SEES_ACTION,
            action__status=JointAction.Status.OPEN,
        ).values_list("action__facility_id", flat=True)
    )
    out: dict[int, list[EntryNote]] = {}
    for e in entries:
        facilities = by_country.get(e.country, [])
        if not facilities:
            continue
        notes = [_facility_note(f) for f in facilities[:MAX_FACILITIES_SHOWN]]
        if len(facilities) > MAX_FACILITIES_SHOWN:
            notes.append(
                EntryNote(
                    _("and %(n)d more facilities in this country")
                    % {"n": len(facilities) - MAX_FACILITIES_SHOWN},
                    reverse("collective:index"),
                    _("All your facilities"),
                )
            )
        if e.severity >= SEVERE:
            for f in facilities:
                if f.shared and f.facility_id not in joined_at:
                    params: dict[str, str | int] = {"facility": f.facility_id,
                                                    "covenant": f.covenant_id,
                                                    "theme": e.theme_code, "entry": e.pk}  # fmt: skip
                    query = urlencode(params)
                    notes.append(
                        EntryNote(
                            _("Severe risk at a shared facility (%(name)s): act together "
                              "with the other members to build leverage.") % {"name": f.name},
                            reverse("collective:propose") + "?" + query,
                            _("Propose joint action"),
                            suggestion=True,
                        )
                    )  # fmt: skip
        out[e.pk] = notes
    return out
