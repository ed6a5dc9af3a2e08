"""The Fellegi-Sunter matching model: weights per comparison level, learned from
labelled pairs, shipped as `model.json`.

For each comparison (name, address, distance, numbers in the name) and each of
its levels the model keeps two counts from labelled candidate pairs: how often
true matches fall in the level (m) and how often non-matches do (u). A level's
weight is log2(m / u) in bits; a pair's match weight is the prior (log2 of the
odds that a candidate pair is a match) plus the weights of its levels, and its
match probability is 2^w / (1 + 2^w). Keeping counts, not just weights, is what
lets `imvo match train` add people's decisions to the shipped evidence.

Term-frequency adjustment: a name agreement counts less the more facilities of
the country carry that name (chains, generic names): minus log2(count) bits for
exact and near names (count = registry facilities with the candidate's name),
and for a contained name minus log2 of how many facilities share the shorter
name's rarest word. A unique name is not adjusted.

Decisions (`decide`): *automatic* only when the probability reaches
`automatic`, the evidence goes beyond the name (address at least similar, or
within 200 m) and the runner-up facility is far behind (`margin_bits`);
*pending* from `review`; else *new*. Name-only evidence is never automatic.
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

from imvo.supplychain.matching.features import COMPARISONS

MODEL_FILE = "data/model.json"
# The levels that are evidence beyond the name (see `decide`).
SUPPORT = {"address": {1, 2, 3}, "distance": {1, 2}}


@dataclass
class Model:
    """Counts per comparison level (m: in matches, u: in non-matches) and thresholds."""

    m: dict[str, list[float]]
    u: dict[str, list[float]]
    matches: float
    non_matches: float
    automatic: float = 0.8
    review: float = 0.1
    margin_bits: float = 3.0
    trained_on: list[str] = field(default_factory=list)

    @classmethod
    def empty(cls) -> Model:
        return cls(
            m={k: [0.0] * len(v) for k, v in COMPARISONS.items()},
            u={k: [0.0] * len(v) for k, v in COMPARISONS.items()},
            matches=0.0,
            non_matches=0.0,
        )

    # --- weights ---------------------------------------------------------------------
    def weights(self) -> dict[str, np.ndarray]:
        """Bits per level; level 0 (no evidence) weighs 0. Counts are smoothed (+1 per
        level) so a level never seen in training gets a finite weight."""
        out = {}
        for comp in COMPARISONS:
            m = np.asarray(self.m[comp], dtype=np.float64) + 1.0
            u = np.asarray(self.u[comp], dtype=np.float64) + 1.0
            m[0] = u[0] = 1.0
            w = np.log2((m / m[1:].sum()) / (u / u[1:].sum()))
            w[0] = 0.0
            if comp == "name_number":
                w[0] = 0.0  # no number in either name: no evidence
            out[comp] = w
        return out

    def prior_bits(self) -> float:
        return math.log2((self.matches + 1.0) / (self.non_matches + 1.0))

    # --- learning --------------------------------------------------------------------
    def add(self, levels: dict[str, np.ndarray], is_match: np.ndarray, weight: float = 1.0) -> None:
        """Add labelled pairs (their levels per comparison) to the counts."""
        is_match = np.asarray(is_match, dtype=bool)
        for comp, lv in levels.items():
            for target, mask in ((self.m, is_match), (self.u, ~is_match)):
                counts = np.bincount(lv[mask].astype(np.int64), minlength=len(COMPARISONS[comp]))
                target[comp] = [
                    a + weight * float(b) for a, b in zip(target[comp], counts, strict=True)
                ]
        self.matches += weight * float(is_match.sum())
        self.non_matches += weight * float((~is_match).sum())

    def merged(self, other: Model, weight: float = 1.0) -> Model:
        out = Model.from_dict(self.to_dict())
        for comp in COMPARISONS:
            out.m[comp] = [a + weight * b for a, b in zip(out.m[comp], other.m[comp], strict=True)]
            out.u[comp] = [a + weight * b for a, b in zip(out.u[comp], other.u[comp], strict=True)]
        out.matches += weight * other.matches
        out.non_matches += weight * other.non_matches
        out.trained_on = [*self.trained_on, *other.trained_on]
        return out

    # --- files -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "imvo-fellegi-sunter-1",
            "comparisons": {
                c: {"levels": COMPARISONS[c], "m": self.m[c], "u": self.u[c]} for c in COMPARISONS
            },
            "matches": self.matches,
            "non_matches": self.non_matches,
            "thresholds": {
                "automatic": self.automatic,
                "review": self.review,
                "margin_bits": self.margin_bits,
            },
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Model:
        comps = data["comparisons"]
        t = data.get("thresholds", {})
        return cls(
            m={c: list(comps[c]["m"]) for c in COMPARISONS},
            u={c: list(comps[c]["u"]) for c in COMPARISONS},
            matches=float(data["matches"]),
            non_matches=float(data["non_matches"]),
            automatic=float(t.get("automatic", 0.8)),
            review=float(t.get("review", 0.1)),
            margin_bits=float(t.get("margin_bits", 3.0)),
            trained_on=list(data.get("trained_on", [])),
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")


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
