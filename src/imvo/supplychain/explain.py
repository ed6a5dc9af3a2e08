"""Why a row was matched to a facility, in words a reviewer reads.

The matcher stores its evidence on `Match.explanation`: a list of entries
``{"field", "level", "weight", "detail"}``, one per comparison (name, address,
distance, numbers in the name...), the weight in bits (Fellegi-Sunter: log2 of
how much more often the level occurs for the same place than for different
places). An entry may also name the candidate it is about (``"facility": id``);
entries without one are about the facility the matcher proposed (the match's
facility, or its best candidate while the match waits for a decision).

This module turns that into what the review screen, the "Why" disclosure on
processed rows, the API and the processed-list download show: per field the
level in words ("same name", "no address on one side", "1.2 km apart"), the
signed weight and a bar, the distance, and the two names and addresses with
their differing words marked (<mark> side by side, <del>/<ins> inline). It
reads only the stored explanation and both records, never the engine's
internals, and it copes with an empty, partial or older explanation (levels
it does not know are shown as stored; malformed entries are skipped).

All HTML made here is built from escaped parts: names in supplier lists are
written by anyone.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from imvo.supplychain.geo import distance_m
from imvo.supplychain.models import Facility, Match, SupplierListRow
from imvo.supplychain.normalise import normalise_address

# A weight of this many bits (or more) fills the bar: a handful of strong fields
# decide a match, so the bar shows how much each one pulled, not the total.
FULL_BAR_BITS = 10.0

FIELD_LABELS = {
    "name": gettext_lazy("Name"),
    "address": gettext_lazy("Address"),
    "distance": gettext_lazy("Distance"),
    "name_number": gettext_lazy("Numbers in the name"),
    "name_word": gettext_lazy("Shared name words"),
    "name_nearby": gettext_lazy("Same name nearby"),
    "name_operator": gettext_lazy("Operator's name"),
    "country": gettext_lazy("Country"),
    "identifier": gettext_lazy("Identifier"),
    "sector": gettext_lazy("Sector"),
    "prior": gettext_lazy("Starting odds"),
    "frequency": gettext_lazy("How common the name is"),
    "name_frequency": gettext_lazy("How common the name is"),
    "exact": gettext_lazy("Exact pass"),
    "remembered": gettext_lazy("Earlier decision"),
    "runner_up": gettext_lazy("Runner-up"),
    "together": gettext_lazy("Together"),
}

# The comparison levels of the matcher (supplychain/matching/features.py), in words.
LEVEL_WORDS: dict[tuple[str, str], Any] = {
    ("name", "missing"): gettext_lazy("no name on one side"),
    ("name", "exact"): gettext_lazy("same name"),
    ("name", "near"): gettext_lazy("nearly the same name (a typo or the word order)"),
    ("name", "contained"): gettext_lazy("one name's words are all in the other"),
    ("name", "similar"): gettext_lazy("similar names"),
    ("name", "weak"): gettext_lazy("names only a little alike"),
    ("name", "different"): gettext_lazy("different names"),
    # features.OPERATOR_NAME_LEVEL: the list writes an operator's name in front of its sites'.
    ("name", "contained, operator's name set aside"): gettext_lazy(
        "the site's name is in the other once the operator's name the list writes in front "
        "of its sites is set aside"
    ),
    ("address", "missing"): gettext_lazy("no address on one side"),
    ("address", "exact"): gettext_lazy("same address"),
    ("address", "same number and street"): gettext_lazy("same house number and street"),
    ("address", "similar"): gettext_lazy("similar addresses"),
    ("address", "numbers differ"): gettext_lazy("the house or unit numbers differ"),
    ("address", "partly similar"): gettext_lazy("addresses partly alike"),
    ("address", "different"): gettext_lazy("different addresses"),
    ("distance", "missing"): gettext_lazy("no coordinates on one side"),
    ("distance", "<= 50 m"): gettext_lazy("within 50 m"),
    ("distance", "<= 200 m"): gettext_lazy("within 200 m"),
    ("distance", "<= 500 m"): gettext_lazy("within 500 m"),
    ("distance", "<= 1 km"): gettext_lazy("within 1 km"),
    ("distance", "<= 5 km"): gettext_lazy("within 5 km"),
    ("distance", "> 5 km"): gettext_lazy("more than 5 km apart"),
    ("name_number", "none"): gettext_lazy("no numbers in the names"),
    ("name_number", "same"): gettext_lazy("the same number in both names"),
    ("name_number", "differ"): gettext_lazy("the numbers in the names differ"),
    ("name_number", "one side only"): gettext_lazy("a number in one name only"),
    ("name_word", "not compared"): gettext_lazy("not compared (the names agree as wholes)"),
    ("name_word", "a word no other facility carries"): gettext_lazy(
        "the names share a word no other facility carries"
    ),
    ("name_word", "a word 2-9 facilities carry"): gettext_lazy(
        "the names share a word 2 to 9 facilities carry"
    ),
    ("name_word", "only words 10+ facilities carry"): gettext_lazy(
        "the names share only words 10 or more facilities carry"
    ),
    ("name_word", "no word in common"): gettext_lazy("the names have no word in common"),
    ("name_nearby", "not compared"): gettext_lazy(
        "not compared (the names differ, or no coordinates within 1 km)"
    ),
    ("name_nearby", "the only place with the name within 1 km"): gettext_lazy(
        "no other place with this name within 1 km"
    ),
    ("name_nearby", "another place with the name within 1 km, none within 200 m"): gettext_lazy(
        "another place with this name within 1 km, none within 200 m"
    ),
    ("name_nearby", "another place with the name within 200 m"): gettext_lazy(
        "another place with this name within 200 m"
    ),
    # Stored as the name entry's level (features.OPERATOR_NAME_LEVEL); its own words for
    # completeness, should an entry carry the comparison itself.
    ("name_operator", "not compared"): gettext_lazy("not compared"),
    ("name_operator", "the site's name inside the other, the list's operator name set aside"): (
        gettext_lazy(
            "the site's name is in the other once the operator's name the list writes in "
            "front of its sites is set aside"
        )
    ),
    ("prior", "a candidate pair"): gettext_lazy("any pair of records that reached comparison"),
    ("country", "exact"): gettext_lazy("same country"),
    ("country", "different"): gettext_lazy("different countries"),
    # The matcher's TOGETHER terms (matching/features.py): evidence that counts
    # differently when it comes together; stored with an English detail, said here.
    ("together", "name and address"): gettext_lazy("the name agrees and the address is the same"),
    ("together", "name and place"): gettext_lazy("the name agrees and the places are within 200 m"),
    ("together", "address and place"): gettext_lazy(
        "the address is the same and the places are within 50 m"
    ),
    ("together", "name alone"): gettext_lazy("the name agrees; no address or coordinates to check"),
}


def signed_bits(weight: float) -> str:
    """A weight as a signed number in the reader's format: "+4.2", "\u22121.5", "±0.0"."""
    # Rounded here: number_format cuts digits off (-12.58 was shown as "\u221212.5").
    shown = round(abs(weight), 1)
    sign = "+" if weight > 0 and shown else ("\u2212" if weight < 0 and shown else "±")
    return f"{sign}{number_format(shown, 1)}"


@dataclass(frozen=True)
class Evidence:
    """One field's comparison as a reviewer reads it."""

    field: str
    label: str
    level: str
    words: str
    weight: float | None
    detail: str

    @property
    def signed(self) -> str:
        """The weight as a signed number of bits ("+4.2", or with a minus sign "-1.5" as U+2212), or ''."""
        return "" if self.weight is None else signed_bits(self.weight)

    @property
    def direction(self) -> str:
        """'for', 'against' or 'none': which way the field pulled (a CSS class)."""
        if not self.weight:
            return "none"
        return "for" if self.weight > 0 else "against"

    @property
    def bar(self) -> int:
        """Width of the weight's bar in percent of a full bar."""
        if not self.weight:
            return 0
        return max(2, min(100, round(100 * abs(self.weight) / FULL_BAR_BITS)))

    def as_text(self) -> str:
        """One line for a download: 'Name: same name (+4.2 bits)'."""
        text = f"{self.label}: {self.words}"
        if self.detail:
            text += f", {self.detail}"
        if self.weight is not None:
            # As the screen and the runner-up write it (the reader's number format):
            # one cell of the download once mixed "-1.3" with "\u221212,5" (a minus sign).
            text += f" ({self.signed} {_('bits')})"
        return text


@dataclass(frozen=True)
class Explanation:
    """Why one row goes (or might go) with one facility."""

    evidence: list[Evidence]
    name_row: SafeString
    name_facility: SafeString
    address_row: SafeString
    address_facility: SafeString
    name_changes: SafeString
    address_changes: SafeString
    name_words_differ: int
    distance_m: float | None
    distance_words: str
    name_summary: str = ""
    facility_id: int | None = None
    runner_up: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> float | None:
        """The summed weight of the evidence in bits (None without any weight)."""
        weights = [e.weight for e in self.evidence if e.weight is not None]
        return sum(weights) if weights else None

    @property
    def total_signed(self) -> str:
        total = self.total
        return "" if total is None else signed_bits(total)

    @property
    def explained(self) -> bool:
        """Whether the matcher stored evidence (older matches have none)."""
        return bool(self.evidence)

    def as_text(self) -> str:
        """The whole explanation on one line, for the processed-list download."""
        parts = [e.as_text() for e in self.evidence]
        if self.distance_m is not None and not any(e.field == "distance" for e in self.evidence):
            parts.append(f"{_('Distance')}: {self.distance_words}")
        if self.runner_up:
            parts.append(f"{_('Runner-up')}: {self.runner_up}")
        return "; ".join(parts)

    def as_data(self) -> list[dict[str, Any]]:
        """The evidence for the API: the stored values plus the words."""
        return [
            {
                "field": e.field,
                "level": e.level,
                "weight": e.weight,
                "detail": e.detail,
                "words": e.words,
            }
            for e in self.evidence
        ]


# --- reading the stored explanation ----------------------------------------------------


def _weight(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        w = float(value)
    except (TypeError, ValueError):
        return None
    return w if math.isfinite(w) else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def level_words(field_name: str, level: str) -> str:
    """A comparison level in words; a level this module does not know is shown as stored."""
    words = LEVEL_WORDS.get((field_name, level))
    if words is None and "," in level:
        # A refined level ("exact, unique name"): its base level's words.
        words = LEVEL_WORDS.get((field_name, level.split(",", 1)[0].strip()))
    return str(words) if words is not None else level.replace("_", " ")


def field_label(field_name: str) -> str:
    label = FIELD_LABELS.get(field_name)
    return str(label) if label is not None else field_name.replace("_", " ").capitalize()


def entries_for(explanation: Any, facility_id: int | None, proposed_id: int | None) -> list[dict]:
    """The stored entries about one candidate: those naming it, or (when it is the
    proposed facility) those naming none. Anything that is not an entry is skipped."""
    if not isinstance(explanation, list):
        return []
    out = []
    for entry in explanation:
        if not isinstance(entry, dict) or not isinstance(entry.get("field"), str):
            continue
        about = _weight(entry.get("facility"))
        if about is None:
            if facility_id is None or facility_id == proposed_id:
                out.append(entry)
        elif int(about) == facility_id:
            out.append(entry)
    return out


def evidence_from(entries: Sequence[dict], distance: float | None) -> list[Evidence]:
    out = []
    for entry in entries:
        name = entry["field"]
        level = _text(entry.get("level"))
        if name in ("runner_up", "same_place"):
            continue
        words = level_words(name, level)
        detail = _text(entry.get("detail"))
        stored_metres = _weight(entry.get("meters"))
        if name == "distance" and (distance is not None or stored_metres is not None):
            words = distance_words(distance if distance is not None else stored_metres)
            detail = ""  # the words say it, in the reader's language
        if name == "together" and (name, level) in LEVEL_WORDS:
            detail = ""  # the words say it, in the reader's language
        count = _weight(entry.get("count"))
        whole = _text(entry.get("whole"))
        if name == "name" and whole:
            # The operator's name set aside: how the whole names compare, said here.
            detail = _("as whole names: %(level)s") % {"level": level_words(name, whole)}
        elif name == "name" and count == 1:
            detail = _("no other facility in the country carries this name")
        elif name == "name" and count is not None and count > 1:
            # A common name counts less (term-frequency adjustment): say why.
            detail = ngettext(
                "%(n)d facility in the country shares the name or its rarest word",
                "%(n)d facilities in the country share the name or its rarest word",
                int(count),
            ) % {"n": int(count)}
        out.append(
            Evidence(
                field=name,
                label=field_label(name),
                level=level,
                words=words,
                weight=_weight(entry.get("weight")),
                detail=detail,
            )
        )
    return out


def runner_up_text(entry: dict, names: dict[int, str] | None = None) -> str:
    """The runner-up candidate in words: 'facility #12, Dhaka Knit Ltd (+3.1 bits)'
    (its name where `names` holds it); as stored otherwise."""
    level, detail = _text(entry.get("level")), _text(entry.get("detail"))
    if not level.isdigit():
        return detail or level
    name = (names or {}).get(int(level), "")
    if name:
        text = _("facility #%(id)s, %(name)s") % {"id": level, "name": name}
    else:
        text = _("facility #%(id)s") % {"id": level}
    weight = _weight(entry.get("weight"))
    if weight is None:
        return text
    return _("%(facility)s (%(weight)s bits)") % {
        "facility": text,
        "weight": signed_bits(weight),
    }


# --- distance --------------------------------------------------------------------------


def distance_between(row: SupplierListRow, facility: Facility) -> float | None:
    if None in (row.lat, row.lng, facility.lat, facility.lng):
        return None
    return distance_m(row.lat, row.lng, facility.lat, facility.lng)  # type: ignore[arg-type]


def distance_words(metres: float | None) -> str:
    """'350 m apart', '1.2 km apart' (in the reader's number format)."""
    if metres is None:
        return _("no coordinates on one side")
    if metres < 1000:
        return _("%(m)s m apart") % {"m": number_format(round(metres), 0)}
    digits = 1 if metres < 100_000 else 0
    return _("%(km)s km apart") % {"km": number_format(metres / 1000, digits)}


# --- differences between two texts -----------------------------------------------------

_TOKEN = re.compile(r"\S+")
_NOT_WORD = re.compile(r"[\W_]+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def _key(token: str) -> str:
    # "Ltd." and "ltd" are the same word; only what a person would call a change counts.
    return _NOT_WORD.sub("", token.casefold()) or token


def _mark(tokens: Sequence[str], tag: str) -> list[str]:
    out = []
    for t in tokens:
        cls = " class=number" if any(c.isdigit() for c in t) else ""
        out.append(f"<{tag}{cls}>{escape(t)}</{tag}>")
    return out


def _address_key(token: str) -> str:
    # "Rd." and "Road" are the same word in an address (the matcher's own abbreviations).
    return normalise_address(token) or _key(token)


def differences(
    a: str, b: str, key: Callable[[str], str] = _key
) -> tuple[SafeString, SafeString, SafeString, int]:
    """Compare two texts word by word (ignoring case and punctuation).

    Returns (a with the words not in b marked, b with the words not in a marked,
    one inline rendering from a to b with <del>/<ins>, the number of differing
    words). A differing word with a digit in it gets class="number": a different
    unit or house number is what most often tells two places apart."""
    ta, tb = _tokens(a), _tokens(b)
    matcher = difflib.SequenceMatcher(None, [key(t) for t in ta], [key(t) for t in tb], False)
    left: list[str] = []
    right: list[str] = []
    inline: list[str] = []
    differing = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left += [str(escape(t)) for t in ta[i1:i2]]
            right += [str(escape(t)) for t in tb[j1:j2]]
            inline += [str(escape(t)) for t in tb[j1:j2]]
            continue
        differing += max(i2 - i1, j2 - j1)
        left += _mark(ta[i1:i2], "mark")
        right += _mark(tb[j1:j2], "mark")
        inline += _mark(ta[i1:i2], "del") + _mark(tb[j1:j2], "ins")
    # Every part above is escaped text or a tag written here.
    return (
        mark_safe(" ".join(left)),
        mark_safe(" ".join(right)),
        mark_safe(" ".join(inline)),
        differing,
    )


def name_difference_words(differing: int, a: str, b: str) -> str:
    """'same name' / 'names differ in one word' from the texts themselves."""
    if not a.strip() or not b.strip():
        return _("no name on one side")
    if differing == 0:
        return _("same name")
    return ngettext("names differ in %(n)d word", "names differ in %(n)d words", differing) % {
        "n": differing
    }


# --- the whole explanation -------------------------------------------------------------


def proposed_facility_id(match: Match) -> int | None:
    """The facility the matcher's evidence is about when an entry names none: its
    best candidate (which a person may since have turned down), or the facility of
    an automatic match that has no candidate list (an exact pass)."""
    cands = match.candidates if isinstance(match.candidates, list) else []
    for c in cands:
        if isinstance(c, (list, tuple)) and c and _weight(c[0]) is not None:
            return int(c[0])
    if match.facility_id is not None and match.status == Match.Status.AUTOMATIC:
        return int(match.facility_id)
    return None


# Statuses whose facility is the one to explain; otherwise (pending, rejected, a new
# facility made from the row itself) the candidate the matcher proposed is.
_OWN_FACILITY = (Match.Status.AUTOMATIC, Match.Status.CONFIRMED)
_NOT_TAKEN = (Match.Status.NEW, Match.Status.REJECTED)


def explain(
    match: Match,
    facility: Facility | None = None,
    *,
    full: bool = True,
    known_names: dict[int, str] | None = None,
) -> Explanation:
    """Why `match.row` goes (or might go) with `facility` (default: the facility of an
    automatic or confirmed match, else the candidate the matcher proposed).

    `full=False` is for bulk use (downloads, the API): no marked differences, and a
    proposed candidate is not looked up (its distance then comes from the level).
    `known_names` (facility id -> name) spares the runner-up's look-up when the
    caller already holds it (the review screen's candidates)."""
    row = match.row
    proposed = proposed_facility_id(match)
    if facility is None:
        if match.facility_id is not None and match.status in _OWN_FACILITY:
            facility = match.facility
        elif proposed is not None and full:
            facility = Facility.objects.filter(pk=proposed).first()
    facility_id = facility.pk if facility is not None else (None if full else proposed)
    entries = entries_for(match.explanation, facility_id, proposed)
    distance = distance_between(row, facility) if facility is not None else None
    other_name = facility.name if facility is not None else ""
    other_address = facility.address if facility is not None else ""
    nothing = (mark_safe(""), mark_safe(""), mark_safe(""), 0)
    name_row, name_fac, name_inline, name_diff = (
        differences(row.name, other_name) if full else nothing
    )
    addr_row, addr_fac, addr_inline, _n = (
        differences(row.address, other_address, _address_key) if full else nothing
    )
    runner_entry = next((e for e in entries if e["field"] == "runner_up"), None)
    runner_up = ""
    if runner_entry is not None:
        # The reviewer reads the runner-up by name, not by number alone (full only:
        # downloads and the API skip look-ups).
        level = _text(runner_entry.get("level"))
        names = dict(known_names or {})
        if full and level.isdigit() and len(level) < 19 and int(level) not in names:
            names.update(Facility.objects.filter(pk=int(level)).values_list("pk", "name"))
        runner_up = runner_up_text(runner_entry, names)
    evidence = evidence_from(entries, distance)
    name_summary = name_difference_words(name_diff, row.name, other_name) if full else ""
    name_level = next((e.level for e in evidence if e.field == "name"), "")
    if full and name_diff and name_level.split(",", 1)[0].strip() == "exact":
        # The matcher compares cleaned names ("o r i g i nal" is "original"): say so,
        # or "same name" in the reasons contradicts "names differ in 9 words" here.
        name_summary = ngettext(
            "the same name once cleaned (spacing, punctuation, legal forms); "
            "as written, %(n)d word differs",
            "the same name once cleaned (spacing, punctuation, legal forms); "
            "as written, %(n)d words differ",
            name_diff,
        ) % {"n": name_diff}
    notes = [
        _("The registry holds this place twice, also as facility #%(id)s: it can be merged.")
        % {"id": e.get("level")}
        for e in entries
        if e["field"] == "same_place"
    ]
    stored_none = not entries_for(match.explanation, None, None)
    if (
        not evidence
        and stored_none
        and match.status in (Match.Status.AUTOMATIC, Match.Status.PENDING)
    ):
        notes.append(_("This match was made before the matcher kept its reasons."))
    return Explanation(
        evidence=evidence,
        name_row=name_row,
        name_facility=name_fac,
        address_row=addr_row,
        address_facility=addr_fac,
        name_changes=name_inline,
        address_changes=addr_inline,
        name_words_differ=name_diff,
        facility_id=facility_id,
        name_summary=name_summary,
        distance_m=distance,
        distance_words=distance_words(distance),
        runner_up=runner_up,
        notes=notes,
    )


def explain_candidates(
    match: Match, facilities: Sequence[tuple[Facility, float]]
) -> list[tuple[Facility, float, Explanation]]:
    """The explanation of each candidate shown to a reviewer, best first."""
    names = {f.pk: f.name for f, _score in facilities}
    return [(f, score, explain(match, f, known_names=names)) for f, score in facilities]


def plain_text(match: Match | None) -> str:
    """The explanation of a row's match on one line (the processed-list download)."""
    if match is None:
        return ""
    e = explain(match, full=False)
    text = e.as_text() if e.facility_id is not None else ""
    # Nothing stored about the candidate (a decision remembered from an earlier
    # upload): no "#12: " with nothing after it.
    if not text:
        return ""
    if match.status in _NOT_TAKEN:
        # The row went to a new facility, or to none: these are the reasons of the
        # candidate that was not taken, not of the row's facility.
        return _("#%(id)s, not taken: %(why)s") % {"id": e.facility_id, "why": text}
    return f"#{e.facility_id}: {text}"


def data(match: Match | None) -> dict[str, Any] | None:
    """The explanation of a row's match for the API: the candidate it is about, the
    evidence (stored values and words) and the distance in metres. Where the row
    went to a new facility or was rejected, the reasons are those of the candidate
    that was not taken: `taken` is false and `facility_id` is null, so no client
    reads the row as matched to it (`candidate_id` names it)."""
    if match is None:
        return None
    e = explain(match, full=False)
    if e.facility_id is None:
        return None
    taken = match.status not in _NOT_TAKEN
    return {
        "facility_id": e.facility_id if taken else None,
        "candidate_id": e.facility_id,
        "taken": taken,
        "evidence": e.as_data(),
        "total_bits": e.total,
        "distance_m": round(e.distance_m) if e.distance_m is not None else None,
        "runner_up": e.runner_up,
    }


def headline(e: Explanation) -> str:
    """A short summary for a collapsed "Why": the strongest pieces of evidence."""
    strongest = sorted(
        (x for x in e.evidence if x.weight is not None), key=lambda x: -abs(x.weight or 0)
    )[:2]
    if not strongest:
        return ""
    return ", ".join(x.words for x in strongest)
