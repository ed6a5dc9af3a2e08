"""The matching model: a weight in bits per comparison level, fitted on labelled
pairs, shipped as `model.json`.

A candidate pair's match weight is the sum of its levels' weights (name,
address, distance, numbers in the name), of the few *together* terms
(`features.TOGETHER`: name and address agree together, and so on) and of a
prior, in bits: log2 of the odds that the pair is a match. It is the
Fellegi-Sunter form (a weight per field and level, summed; every weight shows in
the explanation), but the weights are fitted by logistic regression on the
labelled pairs instead of log2(m/u) from counts: the naive m/u estimate treats
name, address and distance as independent, which they are not (a shop's name and
its mall's address agree together), and over-counted evidence made the
probabilities meaningless (measured in docs/supplychain.md).

Two weight tables: one for pairs where both sides have coordinates, one for
pairs where one side lacks them. Without coordinates the address has to carry
what the distance carries otherwise, so its weights differ; learning them
separately keeps the coordinates set (Geo-ER) from teaching supplier lists
without coordinates that an address says little.

The file keeps the *evidence* too: every labelled pair reduced to its levels,
summed per distinct combination (a few hundred rows), with the weight of
matches and non-matches. `imvo match train` adds people's decisions to it and
fits again; nothing else is needed offline.

Term-frequency adjustment: the name levels are split by how many facilities of
the country carry the name (unique, 2-9, 10+; for a contained name, the shorter
name's rarest word), so a chain's name has its own, smaller weight.

The operator's name in front of the site's (`features.operator_levels`) is a name
level of its own, "name_operator", whose one weight stands in for the pair's name
weight. It is fitted in a second step (`Model.fit`): every other weight first, with
those pairs read at their own whole-name level (similar, weak or different), as if
the level did not exist; then its weight alone against those fixed weights. Fitted
together with the others, the pairs it takes would leave the weak and different
cells, and those weights move for every other pair (measured in docs/supplychain.md,
(y7)). The evidence keeps both: the pair's whole-name level and the operator level.

Decisions (`matching.decide`): the *row* probability of the best candidate,
2^w / (1 + sum of 2^w over the row's candidates), so a close runner-up lowers
it; *automatic* when it reaches `automatic` and the evidence goes beyond the
name (address at least partly similar, or within 200 m); *pending* from `review`; else
*new*. Name-only evidence is never automatic, nor name and place alone where
another place with the name lies near the row (`supported`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from imvo.supplychain.matching.features import (
    AGREEING_NAME_LEVELS,
    COMPARISONS,
    OVER_1_KM,
    SIGNS,
    TOGETHER,
    WITHIN_200_M,
    together,
)

MODEL_FILE = "data/model.json"
FORMAT = "imvo-match-weights-6"
# Format 5 had no "name_operator" column: its files still load, the level unlearned
# (the pairs keep their whole-name weight) until the model is fitted again.
OLD_FORMATS = ("imvo-match-weights-5",)
OPERATOR = "name_operator"
# The levels that are evidence beyond the name (see `decide`): an address that agrees
# at least in part with no conflicting number ("partly similar" included: supplier
# lists append the country, the province or a postcode, or drop the street type), or
# coordinates within 200 m.
SUPPORT = {"address": {1, 2, 3, 5}, "distance": set(WITHIN_200_M)}
# Names that carry different numbers ("branch 1" / "branch 2", "unit 3" / "unit 4") are
# two facilities however alike the rest: never automatic, as a conflicting unit or house
# number in the address is never support.
NAME_NUMBER_CONFLICT = 3


def lookalikes(levels: dict[str, np.ndarray]) -> np.ndarray:
    """Per pair: the name agrees (exact, near or contained) and the address is next
    door (the same street, another house or unit number). Unit B of a factory whose
    unit A is registered may be a new facility or the same one with a slip: however
    low its probability, a person decides (`matching.decide`)."""
    name = np.asarray(levels["name"])
    return np.isin(name, AGREEING_NAME_LEVELS) & (np.asarray(levels["address"]) == 4)


# Another registry place with the same name lies within features.CLOSE_METERS of the row.
NAMESAKES_NEARBY = 3


def supported(levels: dict[str, np.ndarray]) -> np.ndarray:
    """Per pair: is there evidence beyond the name (see SUPPORT), without a conflict?
    Nearness alone is no such evidence where another place with the name lies near the
    row too (features.NAME_NEARBY_LEVELS): two branches of a chain down one street are
    told apart by their addresses, or by a person."""
    place = np.isin(levels["distance"], list(SUPPORT["distance"]))
    if "name_nearby" in levels:
        place &= np.asarray(levels["name_nearby"]) != NAMESAKES_NEARBY
    return (np.isin(levels["address"], list(SUPPORT["address"])) | place) & (
        np.asarray(levels["name_number"]) != NAME_NUMBER_CONFLICT
    )


# The levels that say a candidate is another place: an address that does not agree at all,
# or coordinates over 1 km apart (see `contradicted`).
CONTRADICTION = {"address": {6}, "distance": set(OVER_1_KM)}


def contradicted(levels: dict[str, np.ndarray]) -> np.ndarray:
    """Per pair: does the evidence beyond the name say this is another place (the address
    is different, or the places lie over 1 km apart)? Such a rival does not share the row
    probability with a best candidate that is supported and not contradicted itself
    (`matching.rivals`): "Howard Area Community Center" at another address is no reason
    to doubt the record of that name at the row's own house number and street."""
    return np.isin(levels["address"], list(CONTRADICTION["address"])) | np.isin(
        levels["distance"], list(CONTRADICTION["distance"])
    )


KINDS = ("coordinates", "no_coordinates")
_COMPS = list(COMPARISONS)
# The comparisons of the first step of the fit (all but the operator level).
_FIRST = [c for c in _COMPS if c != OPERATOR]
# L2 penalty of the fit: keeps a level seen in few pairs near 0 bits.
L2 = 1.0


def kind_of(distance_level: np.ndarray) -> np.ndarray:
    """0 where both sides have coordinates (the "coordinates" weights), else 1."""
    return (np.asarray(distance_level) == 0).astype(np.int64)


@dataclass
class Model:
    """Evidence (labelled level combinations) and the weights fitted on it."""

    # kind -> rows [level per comparison..., weight as match, weight as non-match]
    evidence: dict[str, list[list[float]]]
    # kind -> {"prior": [bits], comparison: [bits per level], "together": [bits per term]}
    # (the operator level's weight may be None: not learned, see `operator_bits`)
    fitted: dict[str, dict[str, list[Any]]]
    # Row probability thresholds (see matching.decide). `automatic` chosen once on
    # the held-out figures of docs/supplychain.md (automatic precision >= 0.97 on
    # every held-out set), not per set. `review`: a person is asked when the proposal
    # is right about one time in four or more. A true match sent to "new" makes a
    # duplicate facility, which costs more than a look, but not more than four: below
    # 0.25 the held-out rows were mostly wrong (calibration in docs/supplychain.md:
    # 12-29% right at 0.1-0.2), and asking about them doubled the pending share.
    automatic: float = 0.85
    review: float = 0.25
    trained_on: list[str] = field(default_factory=list)
    _tables: dict[str, dict[str, np.ndarray]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def empty(cls) -> Model:
        return cls(evidence={k: [] for k in KINDS}, fitted={k: _zero() for k in KINDS})

    # --- weights ---------------------------------------------------------------------
    def table(self, kind: str) -> dict[str, np.ndarray]:
        """The weights of one kind as arrays (kept: explanations ask per row)."""
        if kind not in self._tables:
            # None: a level not learned (`operator_bits`), NaN here.
            self._tables[kind] = {
                k: np.asarray([np.nan if x is None else x for x in v], dtype=np.float64)
                for k, v in self.fitted[kind].items()
            }
        return self._tables[kind]

    def prior_bits(self, kind: str = "coordinates") -> float:
        return float(self.fitted[kind]["prior"][0])

    def operator_bits(self, kind: str = "coordinates") -> float | None:
        """The weight of the operator level ("name_operator" 1), None when not learned
        (no labelled pair at that level: the pair keeps its whole-name weight)."""
        got = self.fitted[kind].get(OPERATOR, [0.0, None])
        return None if got[1] is None else float(got[1])

    def pair_bits(self, levels: dict[str, np.ndarray]) -> np.ndarray:
        """Match weight in bits of each pair (`levels`: comparison -> level array).
        Where "name_operator" is 1 (and learned), its weight replaces the name's."""
        n = len(levels["name"])
        out = np.zeros(n)
        kinds = kind_of(levels["distance"])
        inter = together(levels)
        for i, kind in enumerate(KINDS):
            mask = kinds == i
            if not mask.any():
                continue
            t = self.table(kind)
            z = np.full(int(mask.sum()), t["prior"][0])
            for comp in _FIRST:
                z += t[comp][levels[comp][mask].astype(np.int64)]
            z += inter[mask] @ t["together"]
            op = self.operator_bits(kind)
            if op is not None and OPERATOR in levels:
                at = np.asarray(levels[OPERATOR])[mask] == 1
                name = levels["name"][mask].astype(np.int64)
                z[at] += op - t["name"][name[at]]
            out[mask] = z
        return out

    def totals(self, kind: str | None = None) -> tuple[float, float]:
        """Weight of the evidence as matches and as non-matches (of one kind or all)."""
        n = len(_COMPS)
        rows = [r for k in KINDS if kind in (None, k) for r in self.evidence[k]]
        return sum(r[n] for r in rows), sum(r[n + 1] for r in rows)

    # --- learning --------------------------------------------------------------------
    def add(self, levels: dict[str, np.ndarray], is_match: np.ndarray, weight: float = 1.0) -> None:
        """Add labelled pairs (their levels per comparison) to the evidence. `fit` after.
        Levels without "name_operator" (pairs read without their list) are "not
        compared" there."""
        is_match = np.asarray(is_match, dtype=bool)
        if OPERATOR not in levels:
            levels = {**levels, OPERATOR: np.zeros(len(is_match), dtype=np.int8)}
        kinds = kind_of(levels["distance"])
        for i, kind in enumerate(KINDS):
            mask = kinds == i
            if not mask.any():
                continue
            combos = np.column_stack([levels[c][mask].astype(np.int64) for c in _COMPS])
            rows: dict[tuple[int, ...], list[float]] = {
                tuple(int(v) for v in r[: len(_COMPS)]): list(r[len(_COMPS) :])
                for r in self.evidence[kind]
            }
            uniq, inverse = np.unique(combos, axis=0, return_inverse=True)
            inverse = inverse.reshape(-1)
            yes = np.bincount(inverse, weights=is_match[mask].astype(float), minlength=len(uniq))
            no = np.bincount(inverse, weights=(~is_match[mask]).astype(float), minlength=len(uniq))
            for combo, a, b in zip(uniq.tolist(), yes, no, strict=True):
                got = rows.setdefault(tuple(combo), [0.0, 0.0])
                got[0] += weight * float(a)
                got[1] += weight * float(b)
            self.evidence[kind] = [[*k, *v] for k, v in sorted(rows.items())]

    def scaled(self, match_total: float, non_match_total: float | None) -> Model:
        """A copy whose evidence is scaled, per kind, to these totals of matches and
        non-matches (None: non-matches dropped), so every labelled set weighs the same."""
        out = Model.from_dict(self.to_dict())
        n = len(_COMPS)
        for k in KINDS:
            rows = out.evidence[k]
            yes = sum(r[n] for r in rows) or 1.0
            no = sum(r[n + 1] for r in rows) or 1.0
            out.evidence[k] = [
                [
                    *r[:n],
                    r[n] * match_total / yes,
                    0.0 if non_match_total is None else r[n + 1] * non_match_total / no,
                ]
                for r in rows
            ]
        return out

    def merged(self, other: Model, weight: float = 1.0) -> Model:
        """Both models' evidence together, fitted again."""
        out = Model.from_dict(self.to_dict())
        n = len(_COMPS)
        for kind in KINDS:
            # The same sums as `add` row by row (in the same order), in one pass.
            rows: dict[tuple[int, ...], list[float]] = {
                tuple(int(v) for v in r[:n]): list(r[n:]) for r in out.evidence[kind]
            }
            for r in other.evidence[kind]:
                if not (r[n] or r[n + 1]):
                    continue
                got = rows.setdefault(tuple(int(v) for v in r[:n]), [0.0, 0.0])
                if r[n]:
                    got[0] += weight * r[n]
                if r[n + 1]:
                    got[1] += weight * r[n + 1]
            out.evidence[kind] = [[*k, *v] for k, v in sorted(rows.items())]
        out.trained_on = [*self.trained_on, *other.trained_on]
        return out.fit()

    def fit(self) -> Model:
        """Fit the weights of each kind on its evidence (weighted logistic regression,
        Newton steps, L2 penalty; level 0 of a comparison is the reference, 0 bits), in
        two steps: every weight but the operator level's, the pairs at that level read
        at their own whole-name level; then the operator level's one weight alone, the
        others fixed (`_operator_weight`)."""
        for kind in KINDS:
            rows = np.asarray(self.evidence[kind], dtype=np.float64).reshape(-1, len(_COMPS) + 2)
            if not len(rows) or not rows[:, -2].sum() or not rows[:, -1].sum():
                self.fitted[kind] = _zero()
                self._tables.clear()
                continue
            levels = {c: rows[:, i].astype(np.int64) for i, c in enumerate(_COMPS)}
            x = _design(levels)
            # Each combination twice: once as matches (y=1), once as non-matches (y=0).
            xx = np.vstack([x, x])
            y = np.r_[np.ones(len(x)), np.zeros(len(x))]
            w = np.r_[rows[:, -2], rows[:, -1]]
            beta = _constrained(xx, y, w)
            fitted: dict[str, list[Any]] = dict(_unpack(beta / math.log(2)))
            at = levels[OPERATOR] == 1
            op = None
            if at.any() and (rows[at, -2].sum() or rows[at, -1].sum()):
                # The rest of each such pair's weight: all but its name weight (bits).
                rest = (x[at] @ beta) / math.log(2) - np.asarray(fitted["name"])[levels["name"][at]]
                op = _operator_weight(rest, rows[at, -2], rows[at, -1])
            fitted[OPERATOR] = [0.0, op]
            self.fitted[kind] = fitted
        self._tables.clear()
        return self

    # --- files -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "comparisons": {c: COMPARISONS[c] for c in COMPARISONS},
            "together": [t[0] for t in TOGETHER],
            "weights_bits": self.fitted,
            "thresholds": {"automatic": self.automatic, "review": self.review},
            "evidence_columns": [*_COMPS, "as_match", "as_non_match"],
            "evidence": self.evidence,
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Model:
        if data.get("format") not in (FORMAT, *OLD_FORMATS):
            raise ValueError(
                f"unknown model format {data.get('format')!r}: re-create it with `imvo match train`"
            )
        t = data.get("thresholds", {})
        evidence = {k: [list(r) for r in data["evidence"][k]] for k in KINDS}
        fitted = {k: {c: list(v) for c, v in data["weights_bits"][k].items()} for k in KINDS}
        if data["format"] in OLD_FORMATS:
            # No operator column: every pair "not compared" (inserted before the two
            # weights, where the comparisons end), the level's weight not learned.
            evidence = {k: [[*r[:-2], 0, *r[-2:]] for r in rows] for k, rows in evidence.items()}
            for k in KINDS:
                fitted[k][OPERATOR] = [0.0, None]
        return cls(
            evidence=evidence,
            fitted=fitted,
            automatic=float(t.get("automatic", 0.85)),
            review=float(t.get("review", 0.25)),
            trained_on=list(data.get("trained_on", [])),
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=None) + "\n", encoding="utf-8")


def _zero() -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {c: [0.0] * len(v) for c, v in COMPARISONS.items()}
    out[OPERATOR] = [0.0, None]
    out["prior"] = [0.0]
    out["together"] = [0.0] * len(TOGETHER)
    return out


def _design(levels: dict[str, np.ndarray]) -> np.ndarray:
    """One column per level other than 0 of each comparison, then the together terms."""
    cols: list[np.ndarray] = []
    for c in _FIRST:
        lv = levels[c]
        cols.extend((lv == level).astype(np.float64) for level in range(1, len(COMPARISONS[c])))
    return np.column_stack([np.ones(len(levels["name"])), *cols, together(levels)])


def _unpack(beta: np.ndarray) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"prior": [float(beta[0])]}
    at = 1
    for c in _FIRST:
        n = len(COMPARISONS[c]) - 1
        out[c] = [0.0, *(float(v) for v in beta[at : at + n])]
        at += n
    out["together"] = [float(v) for v in beta[at:]]
    return out


def _signs() -> np.ndarray:
    """The allowed sign of each design column (the prior: free)."""
    return np.array(
        [0, *(s for c in _FIRST for s in SIGNS[c][1:]), *SIGNS["together"]], dtype=np.int64
    )


def _constrained(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """`_logistic` with the signs of features.SIGNS: a weight that comes out with the
    wrong sign is fixed at 0 and the rest fitted again, until none does."""
    signs = _signs()
    free = np.ones(x.shape[1], dtype=bool)
    beta = np.zeros(x.shape[1])
    for _ in range(x.shape[1]):
        beta = np.zeros(x.shape[1])
        beta[free] = _logistic(x[:, free], y, w)
        wrong = free & (signs * beta < 0)
        if not wrong.any():
            break
        free &= ~wrong
    return beta


def _operator_weight(rest: np.ndarray, yes: np.ndarray, no: np.ndarray) -> float:
    """The operator level's weight in bits, alone: the pairs at that level (`rest`: the
    rest of each pair's weight in bits, fixed; `yes`, `no`: their weight as matches and
    as non-matches), weighted logistic regression on one coefficient with the same L2
    penalty as the others and its sign (`features.SIGNS`: not below 0)."""
    offset = rest * math.log(2)
    beta = 0.0
    for _ in range(50):
        p_yes = 1.0 / (1.0 + np.exp(-np.clip(offset + beta, -40, 40)))
        grad = float(np.sum(yes * (p_yes - 1.0) + no * p_yes)) + L2 * beta
        hess = float(np.sum((yes + no) * p_yes * (1 - p_yes))) + L2 + 1e-9
        step = grad / hess
        beta -= step
        if abs(step) < 1e-9:
            break
    # Its sign (features.SIGNS): agreement, never below 0.
    return max(beta, 0.0) / math.log(2)


def _logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, iterations: int = 50) -> np.ndarray:
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], L2)
    penalty[0] = 0.0  # the prior is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -40, 40)))
        grad = x.T @ (w * (p - y)) + penalty * beta
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return beta


def shipped_path() -> Path:
    return Path(str(resources.files("imvo.supplychain.matching").joinpath(MODEL_FILE)))


def load(path: Path | None = None) -> Model:
    """The model: `path`, else the one shipped in the package (read once)."""
    if path is None:
        return _shipped()
    return Model.from_dict(json.loads(path.read_text(encoding="utf-8")))


@cache
def _shipped() -> Model:
    return Model.from_dict(json.loads(shipped_path().read_text(encoding="utf-8")))
