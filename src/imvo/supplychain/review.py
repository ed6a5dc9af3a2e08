"""The review of uncertain facility matches: which matches a person may see, and
each one laid out with its candidates and their explanations.

Scope is the supplier lists' own (`SupplierList.objects.visible_to`): a member
sees only its own rows' matches, the secretariat those of its covenants, the
platform admin all; only the member decides on its own matches (the secretariat
and the admin read: `services.can_decide`, docs/supplychain.md). Only the
current upload of a list is reviewed; a replaced list's decisions are made on
the newer one. Deciding goes through `services.decide_match`, which also keeps
the decision as labelled pairs (`labels.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from imvo.supplychain import explain, labels, services
from imvo.supplychain.models import Decision, Facility, Match, SupplierList


@dataclass(frozen=True)
class Candidate:
    """A facility the row might be, with the matcher's score and the reasons."""

    facility: Facility
    score: float
    explanation: explain.Explanation
    rank: int


@dataclass(frozen=True)
class ReviewItem:
    """One pending match as the review screen shows it."""

    match: Match
    candidates: list[Candidate]
    can_decide: bool


def matches_visible_to(user: Any) -> QuerySet[Match]:
    """Every match of a supplier list the user may see (another's: none)."""
    return Match.objects.filter(row__supplier_list__in=services.lists_visible_to(user))


def pending_for(user: Any, supplier_list: SupplierList | None = None) -> QuerySet[Match]:
    """The matches waiting for a person's decision that `user` may see, on current
    lists, grouped by list and in row order."""
    lists = services.lists_visible_to(user).current()
    if supplier_list is not None:
        lists = lists.filter(pk=supplier_list.pk)
    return (
        Match.objects.filter(status=Match.Status.PENDING, row__supplier_list__in=lists)
        .select_related("row", "row__supplier_list__organisation", "row__supplier_list__covenant")
        .order_by("row__supplier_list__year", "row__supplier_list_id", "row__number")
    )


def review_items(user: Any, matches: list[Match]) -> list[ReviewItem]:
    """Lay out matches for review: each with the candidates a reviewer is shown
    (`labels.REVIEW_CANDIDATES`, best first), explained."""
    ids = {fid for m in matches for fid in labels.shown_candidate_ids(m)}
    facilities = Facility.objects.in_bulk(ids)
    # Whether each list is current, asked once for all (the screen asks it of every match).
    lists = {m.row.supplier_list_id for m in matches}
    current = set(SupplierList.objects.filter(pk__in=lists).current().values_list("pk", flat=True))
    for m in matches:
        sl = m.row.supplier_list
        sl.current_flag = sl.pk in current  # type: ignore[attr-defined]  # as `with_current`
    decide: dict[int, bool] = {}
    items = []
    for m in matches:
        sl = m.row.supplier_list
        if sl.pk not in decide:
            decide[sl.pk] = services.can_decide(user, sl)
        scores = {int(c[0]): c[1] for c in m.candidates if isinstance(c, (list, tuple)) and c}
        candidates = [
            Candidate(facilities[fid], scores[fid], explain.explain(m, facilities[fid]), rank)
            for rank, fid in enumerate(labels.shown_candidate_ids(m), start=1)
            if fid in facilities
        ]
        items.append(ReviewItem(m, candidates, decide[sl.pk]))
    return items


def turned_down(match: Match) -> tuple[Decision | None, list[Facility]]:
    """The earlier decision a remembered match follows, and the facilities the member
    turned down in it: a rejection remembered on a later upload shows no reasons of
    its own (they were about the facility turned down), so the page says which."""
    if not match.remembered:
        return None, []
    row = match.row
    decision = Decision.objects.filter(
        organisation_id=row.supplier_list.organisation_id, fingerprint=row.fingerprint
    ).first()
    if decision is None:
        return None, []
    ids = [i for i in decision.rejected_facility_ids if isinstance(i, int)]
    return decision, list(Facility.objects.filter(pk__in=ids).order_by("pk"))
