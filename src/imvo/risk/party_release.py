"""The sector risk analysis as the covenant's parties read it: released in batches.

The secretariat reads the analysis live. A union, NGO, government or branch party
reads it as last *released* (`PartyRelease`): live, whoever kept yesterday's page
read from the difference what one member added or dropped the day it did
(docs/security.md T51), the leak the public dashboard had (T47). A release is
made when the page is asked for and one is due:

* there is none yet, or the last one showed nothing of members' sourcing
  (fewer than K members stood behind it): there is no earlier figure to compare;
* no member's sourcing changed, but something that concerns every member did (an
  indicator edition, the covenant's K): the difference is nobody's sourcing;
* K or more members' sourcing changed (joined, left, changed a row) since the
  last release: the difference rests on K members, the batch rule of the
  public list (docs/supplychain.md, "Comparing the list over time").

With 1 to K-1 members changed, parties keep reading the last release; the
secretariat's page says so, with how many changed (it reads every list anyway).

Languages: what a release freezes is figures and codes (theme codes, country
codes, levels); the words are the reader's, put in when the page is read
(`_in_reader_language`: theme names, the heatmap's columns and country names,
the "other countries" row). A release held one page per full language (nl, en)
and a reader in any other language got whichever the database listed first,
English on PostgreSQL, among headings in their own language. A release now
stores one page (made in English; releases made before keep their two, and
either reads the same).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import translation

from imvo.covenants.models import Covenant
from imvo.risk.models import PartyRelease


@dataclass(frozen=True)
class ReleaseState:
    """Where the parties' release stands against today's figures (for the secretariat)."""

    made: datetime | None  # the release parties read; None before the first
    changed: int  # members whose sourcing differs from that release
    minimum: int  # K


def changed_members(
    release: PartyRelease | None, fingerprints: dict[str, str], former: dict[str, str] | None = None
) -> int:
    """Members whose sourcing differs from the release (joined, left or changed), by
    what the figures read from it (`services.sourcing_fingerprint`); a release made
    before T83 kept the former digest and is compared by that (`former`)."""
    from imvo.risk.services import FINGERPRINT_PREFIX

    before: dict[str, str] = release.members if release else {}
    former = former or {}

    def now(member: str) -> str | None:
        kept = before.get(member)
        if kept is not None and not kept.startswith(FINGERPRINT_PREFIX):
            return former.get(member)
        return fingerprints.get(member)

    return sum(1 for m in before.keys() | fingerprints.keys() if before.get(m) != now(m))


def _due(release: PartyRelease | None, analysis: dict[str, Any], k: int, key: str) -> bool:
    if release is None or _withheld(release):
        # Nothing from members' sourcing was shown: the next release is as the first.
        return True
    changed = changed_members(
        release, analysis["fingerprints"], analysis.get("former_fingerprints")
    )
    if changed == 0:
        return release.minimum != k or release.indicators != key
    return changed >= k


def _withheld(release: PartyRelease) -> bool:
    """The release shows nothing from members' sourcing (fewer than K members)."""
    return any(page.get("companies", 0) < release.minimum for page in release.pages.values())


def _page(covenant: Covenant, k: int) -> dict[str, Any]:
    """The party view of today's analysis as plain data (what the template reads)."""
    from imvo.risk.services import covenant_analysis, party_analysis

    a = party_analysis(covenant_analysis(covenant), k)
    shown = {key: a[key] for key in ("companies", "rows", "themes", "heatmap", "attribution")}
    shown["countries"] = [
        {key: v for key, v in c.items() if key != "members"} for c in a["countries"]
    ]
    # The folded row's text is put in on reading; mark the row, not its words.
    for c in shown["countries"]:
        if not _is_country(c["country"]):
            c["other"] = True
    data: dict[str, Any] = json.loads(json.dumps(shown, cls=DjangoJSONEncoder, default=str))
    return data


def _is_country(value: str) -> bool:
    from imvo.core.countries import is_code

    return value == "??" or is_code(value)


def _in_reader_language(page: dict[str, Any], k: int) -> dict[str, Any]:
    """The frozen page with its words in the active language: the figures as
    released, the names made again from the codes the page keeps."""
    from django.utils.translation import gettext as _

    from imvo.core.countries import display_name
    from imvo.risk import reference as ref

    def theme(code: str) -> str:
        return str(ref.THEME_LABELS.get(code, code))

    out = dict(page)
    out["themes"] = [{**t, "label": theme(t["theme"])} for t in page.get("themes", [])]
    heat = dict(page.get("heatmap") or {})
    cols = heat.get("cols") or []
    if cols:
        heat["labels"] = [theme(c) for c in cols]
        heat["table"] = [
            {
                **r,
                "name": r["key"] if r["key"] == "??" else display_name(r["key"]),
                "cells": [{**c, "theme": theme(t)} for c, t in zip(r["cells"], cols, strict=True)],
            }
            for r in heat.get("table", [])
        ]
    out["heatmap"] = heat
    other = _("Other countries (fewer than %(k)s members each)") % {"k": k}
    out["countries"] = [
        {**c, "country": other} if c.get("other") or not _is_country(c["country"]) else c
        for c in page.get("countries", [])
    ]
    return out


def state(covenant: Covenant, analysis: dict[str, Any], k: int) -> ReleaseState:
    release = PartyRelease.objects.filter(covenant=covenant).first()
    return ReleaseState(
        made=release.made if release else None,
        changed=changed_members(
            release, analysis["fingerprints"], analysis.get("former_fingerprints")
        ),
        minimum=k,
    )


def for_parties(covenant: Covenant, k: int) -> tuple[dict[str, Any], PartyRelease]:
    """The analysis a party reads (in the reader's language) and when it was released;
    a new release first when one is due."""
    from imvo.risk.services import covenant_analysis, indicator_data_key

    key = repr(indicator_data_key())[:200]
    release = PartyRelease.objects.filter(covenant=covenant).first()
    analysis = covenant_analysis(covenant)
    if _due(release, analysis, k, key):
        with transaction.atomic(), translation.override("en"):
            release = PartyRelease.objects.create(
                covenant=covenant,
                minimum=k,
                indicators=key,
                members=analysis["fingerprints"],
                pages={"en": _page(covenant, k)},
            )
    assert release is not None
    pages = release.pages
    page = pages.get("en") or next(iter(pages.values()))
    return _in_reader_language(page, release.minimum), release
