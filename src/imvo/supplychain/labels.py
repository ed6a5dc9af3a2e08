"""Reviewers' decisions kept as labelled pairs, for the matcher to learn from.

Each accept / reject / "new facility" on a match says something about the
candidate facilities the reviewer was shown: the accepted one is the same
place as the row; the others are not (a row is one place). Those verdicts are
kept as `LabelledPair`s, copies of both sides' values at the time, which
`imvo match train` reads next to the shipped pairs.

Only the candidates a reviewer actually saw are labelled (`REVIEW_CANDIDATES`):
an unseen candidate was not judged. A later decision on the same row replaces
the verdict on the same pair (the last word of a person counts).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from imvo.supplychain.models import Facility, LabelledPair, Match

# How many candidate facilities the review screen shows for one row, best first.
REVIEW_CANDIDATES = 3


def shown_candidate_ids(match: Match) -> list[int]:
    """The candidate facilities a reviewer is shown for `match`, best first."""
    cands = match.candidates if isinstance(match.candidates, list) else []
    return [int(c[0]) for c in cands[:REVIEW_CANDIDATES]]


def record_decision(match: Match, chosen_id: int | None, user: Any) -> list[LabelledPair]:
    """Keep the verdicts a decision on `match` implies: `chosen_id` (the facility
    accepted, None for reject / new facility) is the same place as the row, every
    other candidate shown is not. Call inside the decision's transaction."""
    row = match.row
    ids = shown_candidate_ids(match)
    if chosen_id is not None and chosen_id not in ids:
        ids.append(chosen_id)
    facilities = Facility.objects.in_bulk(ids)
    pairs = []
    for fid in ids:
        facility = facilities.get(fid)
        if facility is None:
            continue
        pair, _created = LabelledPair.objects.update_or_create(
            organisation_id=row.supplier_list.organisation_id,
            facility=facility,
            name=row.name,
            address=row.address,
            country=row.country,
            defaults={
                "is_match": fid == chosen_id,
                "lat": row.lat,
                "lng": row.lng,
                "facility_name": facility.name,
                "facility_address": facility.address,
                "facility_country": facility.country,
                "facility_lat": facility.lat,
                "facility_lng": facility.lng,
                "decided_by": user,
                "decided": match.decided or timezone.now(),
            },
        )
        pairs.append(pair)
    return pairs
