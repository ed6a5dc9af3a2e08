"""The supply-chain risk scan: inherent risk per theme for every supplier row, with its reasons.

For each row (a facility, or a country and product entered by hand) and each
theme the scan computes

    inherent risk (0..100) = 100 x country risk for the theme x sector weight of the theme

* country risk for a theme is the mean of the risks of the indicators mapped to
  that theme (`reference.INDICATORS`), each normalised to 0..1 (WGI percentile
  p -> 1 - p/100, ITUC rating r -> (r - 1)/4.5, ILAB country listing -> 0.7).
  When ILAB lists the row's own good (its product, e.g. Cocoa) in that country
  for child or forced labour, the theme's country risk is raised to 1.0 for
  that row; when ILAB lists other goods of the row's sector there (a food
  product from a country whose cocoa is listed), to 0.85.
  No indicator for a country means "unknown", scored 0.5 (unknown is not low).
* sector weight: how salient the theme is in the row's sector
  (`reference.SECTOR_PROFILES`, with the reasoning written there).

Levels: high >= 50, medium >= 25, low below. The work is vectorised with
polars: the distinct (country, sector, good) keys are scored once per theme and
broadcast to the rows by a join, so a million rows cost a few joins.
`scan_row_by_row` is the straightforward per-row implementation, kept as the
reference the vectorised scan is tested and benchmarked against.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.utils.translation import gettext_noop

from imvo.core.countries import display_name as country_name
from imvo.core.countries import normalise_country as country_code
from imvo.risk import reference as ref
from imvo.risk.bundle import DATA_DIR


@dataclass
class IndicatorTables:
    """Indicator values, listed goods and the provenance of every source edition in use."""

    values: list[
        tuple[str, str, str, int, float, str]
    ]  # source, indicator, country, edition, value, raw
    goods: list[
        tuple[str, int, str, str, bool, bool]
    ]  # source, edition, country, good, child, forced
    sources: dict[str, dict[str, Any]]  # code -> name, publisher, edition_year, licence, url
    origin: str = "bundled"

    def attribution(self) -> list[str]:
        """One line per source, for pages and exports."""
        return [
            f"{s['name']} {s['edition_year']}, {s['publisher']} ({s['licence']}) {s['url']}"
            for _code, s in sorted(self.sources.items())
        ]


def bundled_tables() -> IndicatorTables:
    """The compact table shipped in `risk/data/` (compiled by `imvo risk bundle`)."""
    sources = json.loads((DATA_DIR / "sources.json").read_text())
    values = []
    with (DATA_DIR / "indicators.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            values.append(
                (
                    r["source"],
                    r["indicator"],
                    r["country"],
                    int(r["edition"]),
                    float(r["value"]),
                    r["raw"],
                )
            )
    goods = []
    with (DATA_DIR / "goods.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            goods.append(
                (
                    r["source"],
                    int(r["edition"]),
                    r["country"],
                    r["good"],
                    r["child_labour"] == "1",
                    r["forced_labour"] == "1",
                )
            )
    return IndicatorTables(values, goods, sources)


def indicator_risk(indicator: str, value: float) -> float:
    """Normalise an indicator value to a 0..1 risk (1 = highest risk)."""
    if indicator.startswith("wgi."):
        return max(0.0, min(1.0, 1 - value / 100))
    if indicator == "ituc.rating":
        return max(0.0, min(1.0, (value - 1) / 4.5))
    if indicator.startswith("ilab."):
        return ref.ILAB_COUNTRY_RISK if value > 0 else 0.0
    raise ValueError(f"unknown indicator {indicator}")


def level_of(score: float) -> str:
    if score >= ref.HIGH:
        return "high"
    if score >= ref.MEDIUM:
        return "medium"
    return "low"


def _fmt_value(indicator: str, value: float, raw: str) -> str:
    if indicator.startswith("wgi."):
        return f"percentile {value:.1f}"
    if indicator == "ituc.rating":
        return f"rating {raw}"
    return raw


@dataclass
class Model:
    """The scan's lookup tables, derived once from the indicator tables."""

    tables: IndicatorTables
    # (country, theme) -> (risk 0..1, [reason dicts])
    country_theme: dict[tuple[str, str], tuple[float, list[dict[str, Any]]]]
    # (country, sector, theme) -> (risk, reason dict): ILAB lists goods of that sector there
    goods_theme: dict[tuple[str, str, str], tuple[float, dict[str, Any]]]
    # (country, good, theme) -> (risk, reason dict): ILAB lists that very good there
    own_good_theme: dict[tuple[str, str, str], tuple[float, dict[str, Any]]] = field(
        default_factory=dict
    )
    # good phrases (normalised word tuples, longest first) -> good key
    good_phrases: list[tuple[tuple[str, ...], str]] = field(default_factory=list)

    _good_cache: dict[str, str] = field(default_factory=dict)

    def good_of(self, text: str | None) -> str:
        """The ILAB good a row's sector/product text names ('Cocoa beans' -> 'cocoa'), or ''."""
        if not text:
            return ""
        if text not in self._good_cache:
            if len(self._good_cache) > 100_000:
                self._good_cache.clear()
            self._good_cache[text] = self._find_good(text)
        return self._good_cache[text]

    def _find_good(self, text: str) -> str:
        words = tuple(_norm_word(w) for w in _WORDS.findall(text.lower()))
        # The longest phrase wins, then the one named first ("cocoa beans" is cocoa).
        best: tuple[int, int, str] | None = None
        for phrase, key in self.good_phrases:
            n = len(phrase)
            for i in range(len(words) - n + 1):
                if words[i : i + n] == phrase:
                    cand = (-n, i, key)
                    if best is None or cand < best:
                        best = cand
                    break
        return best[2] if best else ""

    def reason_source(self, code: str) -> dict[str, Any]:
        return self.tables.sources.get(code, {})


_WORDS = re.compile(r"[a-z]+")
# Too general to name a good on their own ("Oil (palm)" is matched by "palm").
_GENERIC = {"oil", "goods", "accessories", "products"}


def _norm_word(w: str) -> str:
    return w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w


def good_phrases_of(good: str) -> list[tuple[str, ...]]:
    """The phrases that name an ILAB good in a row: 'Stones (limestone)' -> [('stone',), ('limestone',)]."""
    main = re.sub(r"\(.*?\)", " ", good)
    inner = re.findall(r"\((.*?)\)", good)
    out = []
    for part in [*main.split("/"), *inner]:
        words = tuple(_norm_word(w) for w in _WORDS.findall(part.lower()))
        if words and not (len(words) == 1 and words[0] in _GENERIC):
            out.append(words)
    return out


def _ilab_reason(
    src: dict[str, Any], theme: str, goods: list[str], own: bool, risk: float
) -> dict[str, Any]:
    """The reason an ILAB listing gives: the row's own good is listed (`own`), or other
    goods of its sector. `goods` are the ILAB names; `shown` is their English text
    (exports for programs, the text report), pages write it anew (`reasons.shown_text`)."""
    goods = sorted(set(goods))
    what = "this good is listed: " if own else "goods of this sector listed: "
    return {
        "indicator": "ilab.good",
        # Stored in English; pages translate it when shown.
        "label": gettext_noop("US DOL ILAB List of Goods: child labour")
        if theme == "child-labour"
        else gettext_noop("US DOL ILAB List of Goods: forced labour"),
        "value": len(goods),
        "shown": what + ", ".join(goods),
        "goods": goods,
        "listed": "own" if own else "sector",
        "risk": risk,
        "source": src.get("name", "ILAB"),
        "publisher": src.get("publisher", ""),
        "edition": src.get("edition_year"),
        "licence": src.get("licence", ""),
    }


def build_model(tables: IndicatorTables) -> Model:
    per_country: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for source, indicator, country, edition, value, raw in tables.values:
        spec = ref.INDICATORS.get(indicator)
        if spec is None:
            continue
        src = tables.sources.get(source, {})
        risk = indicator_risk(indicator, value)
        for theme in spec["themes"]:
            per_country.setdefault((country, theme), []).append(
                {
                    "indicator": indicator,
                    "label": spec["label"],
                    "value": value,
                    "shown": _fmt_value(indicator, value, raw),
                    "raw": raw,
                    "risk": round(risk, 3),
                    "source": src.get("name", source),
                    "publisher": src.get("publisher", ""),
                    "edition": edition,
                    "licence": src.get("licence", ""),
                }
            )
    country_theme = {
        k: (sum(r["risk"] for r in rs) / len(rs), sorted(rs, key=lambda r: r["indicator"]))
        for k, rs in per_country.items()
    }
    listed: dict[tuple[str, str, str], list[str]] = {}
    own: dict[tuple[str, str, str], list[str]] = {}
    phrases: dict[tuple[str, ...], str] = {}
    for _source, _edition, country, good, child, forced in tables.goods:
        sector = ref.ilab_good_sector(good)
        good_phrases = good_phrases_of(good)
        # A good's key is its first phrase; all its phrases point to that key.
        key = " ".join(good_phrases[0]) if good_phrases else ""
        for ph in good_phrases:
            phrases.setdefault(ph, key)
        for theme, flag in (("child-labour", child), ("forced-labour", forced)):
            if flag:
                listed.setdefault((country, sector, theme), []).append(good)
                if key:
                    own.setdefault((country, key, theme), []).append(good)
    src = tables.sources.get("ilab", {})

    def scored(
        found: dict[tuple[str, str, str], list[str]], risk: float, is_own: bool
    ) -> dict[tuple[str, str, str], tuple[float, dict[str, Any]]]:
        # Each (country, key, theme) with its ILAB risk and the reason naming the goods.
        return {
            k: (risk, _ilab_reason(src, k[2], goods, is_own, risk)) for k, goods in found.items()
        }

    goods_theme = scored(listed, ref.ILAB_SECTOR_RISK, False)
    own_good_theme = scored(own, ref.ILAB_GOOD_RISK, True)
    ordered = sorted(phrases.items(), key=lambda kv: (-len(kv[0]), kv[0]))
    return Model(tables, country_theme, goods_theme, own_good_theme, ordered)


def combo_scores(
    model: Model, country: str | None, sector: str, good: str = ""
) -> list[dict[str, Any]]:
    """Inherent risk of every theme for one country, sector and (ILAB) good, with the reasons."""
    out = []
    profile = ref.SECTOR_PROFILES.get(sector, ref.SECTOR_PROFILES["other"])
    for theme in ref.THEME_CODES:
        weight = profile["weights"][theme]
        if country and (country, theme) in model.country_theme:
            risk, reasons = model.country_theme[(country, theme)]
            reasons = list(reasons)
        else:
            risk, reasons = (
                ref.UNKNOWN_COUNTRY_RISK,
                [
                    {
                        "indicator": "unknown",
                        "label": gettext_noop("No indicator data for this country and theme"),
                        "value": None,
                        "shown": "treated as 0.5 (unknown is not low)",
                        "risk": ref.UNKNOWN_COUNTRY_RISK,
                        "source": "",
                        "publisher": "",
                        "edition": None,
                        "licence": "",
                    }
                ],
            )
        listed = model.own_good_theme.get((country or "", good, theme)) if good else None
        if listed is None:
            listed = model.goods_theme.get((country or "", sector, theme))
        if listed is not None and listed[0] > risk:
            risk = listed[0]
            reasons = [*reasons, listed[1]]
        score = round(100 * risk * weight, 1)
        out.append(
            {
                "country": country,
                "sector": sector,
                "good": good,
                "theme": theme,
                "country_risk": round(risk, 3),
                "weight": weight,
                "score": score,
                "level": level_of(score),
                "reasons": reasons,
            }
        )
    return out


# --- the rows ---------------------------------------------------------------------


@dataclass(frozen=True)
class SourcingRow:
    """One line of a company's sourcing as the scan reads it: a row of its supplier
    list, or a country and product it entered by hand."""

    row_id: str  # "list-<row id>" or "manual-<entry id>": unique within one scan
    name: str
    country: str  # as given; the scan resolves it through core.countries
    sector: str
    product: str
    workers: int | None


SOURCING_SCHEMA = {
    "row_id": pl.Utf8,
    "name": pl.Utf8,
    "country": pl.Utf8,
    "sector": pl.Utf8,
    "product": pl.Utf8,
    "workers": pl.Int64,
}


def sourcing_frame(rows: Sequence[SourcingRow]) -> pl.DataFrame:
    """Typed sourcing rows as a frame with fixed column types (no inference)."""
    return pl.DataFrame(
        {name: [getattr(r, name) for r in rows] for name in SOURCING_SCHEMA},
        schema=SOURCING_SCHEMA,
    )


def prepare_rows(
    rows: Iterable[dict[str, Any]] | pl.DataFrame, model: Model | None = None
) -> pl.DataFrame:
    """Supplier rows -> frame with row_id, name, country (alpha-2 or null), sector, good, workers.

    Keys read from each row: country (any spelling), sector, product, name,
    workers, row_id. Country, sector and the ILAB good named by the sector/product
    text (with a model) are resolved once per distinct value.
    """
    df = (
        rows
        if isinstance(rows, pl.DataFrame)
        else pl.DataFrame(list(rows), infer_schema_length=None)
    )
    n = df.height
    cols = set(df.columns)

    def col(name: str) -> pl.Expr:
        return pl.col(name).cast(pl.Utf8) if name in cols else pl.lit(None, dtype=pl.Utf8)

    df = df.with_columns(
        row_id=pl.col("row_id") if "row_id" in cols else pl.int_range(1, n + 1),
        name=col("name"),
        country_raw=col("country"),
        sector_text=pl.concat_str(
            [col("sector").fill_null(""), col("product").fill_null("")], separator=" "
        ),
        workers=pl.col("workers").cast(pl.Int64, strict=False)
        if "workers" in cols
        else pl.lit(None, pl.Int64),
    )
    countries = df.get_column("country_raw").unique().to_list()
    cmap = {c: country_code(c) for c in countries if c is not None}
    texts = [t for t in df.get_column("sector_text").unique().to_list() if t is not None]
    smap = {t: ref.sector_of(t) for t in texts}
    gmap = {t: model.good_of(t) for t in texts} if model is not None else {}
    return df.select(
        "row_id",
        "name",
        "country_raw",
        pl.col("country_raw")
        .replace_strict(cmap, default=None, return_dtype=pl.Utf8)
        .alias("country"),
        pl.col("sector_text")
        .replace_strict(smap, default="other", return_dtype=pl.Utf8)
        .alias("sector"),
        pl.col("sector_text").replace_strict(gmap, default="", return_dtype=pl.Utf8).alias("good"),
        "workers",
    )


KEY = ["country", "sector", "good"]


@dataclass
class ScanResult:
    """Per-row theme scores, the scored (country, sector, good) keys with reasons, and the sources."""

    rows: pl.DataFrame  # row_id, name, country_raw, country, sector, good, workers, key_id
    # row_id, key_id, theme, score, level: one line per row and theme; None until first
    # asked for (`scores`). A stored scan is read without it: the summaries (page, API)
    # work on the keys, and the join is 12 lines a row.
    score_lines: pl.DataFrame | None
    combos: list[dict[str, Any]]  # combo_scores output for each distinct (country, sector, good)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    attribution: list[str] = field(default_factory=list)

    @property
    def scores(self) -> pl.DataFrame:
        """One line per row and theme with its score and level."""
        if self.score_lines is None:
            self.score_lines = _score_lines(self.rows, self.combos)
        return self.score_lines

    @property
    def unresolved(self) -> pl.DataFrame:
        """Rows whose country could not be recognised (scored as unknown)."""
        return self.rows.filter(pl.col("country").is_null())

    def reasons_for(
        self, country: str | None, sector: str, theme: str, good: str = ""
    ) -> list[dict[str, Any]]:
        for c in self.combos:
            if (c["country"], c["sector"], c["good"], c["theme"]) == (country, sector, good, theme):
                reasons: list[dict[str, Any]] = c["reasons"]
                return reasons
        return []

    def combo_table(self, theme_dtype: Any = pl.Utf8) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "key_id": [c["key_id"] for c in self.combos],
                "country": [c["country"] for c in self.combos],
                "sector": [c["sector"] for c in self.combos],
                "good": [c["good"] for c in self.combos],
                "theme": [c["theme"] for c in self.combos],
                "score": [c["score"] for c in self.combos],
            },
            schema={
                "key_id": pl.UInt32,
                "country": pl.Utf8,
                "sector": pl.Utf8,
                "good": pl.Utf8,
                "theme": theme_dtype,
                "score": pl.Float64,
            },
        )


def scan_frame(model: Model, rows: pl.DataFrame) -> ScanResult:
    """Vectorised scan of prepared rows (see `prepare_rows`).

    Each distinct (country, sector, good) key gets an integer id; the per-row,
    per-theme scores are one join on that id, so the 12 x N output carries no strings.
    """
    if "good" not in rows.columns:
        rows = rows.with_columns(good=pl.lit(""))
    keys = rows.select(KEY).unique(maintain_order=True).with_row_index("key_id")
    combos: list[dict[str, Any]] = []
    for key_id, country, sector, good in keys.iter_rows():
        scored = combo_scores(model, country, sector, good)
        for c in scored:
            c["key_id"] = key_id
        combos.extend(scored)
    rows = rows.join(keys, on=KEY, how="left", nulls_equal=True)
    scores = _score_lines(rows, combos)
    return ScanResult(rows, scores, combos, model.tables.sources, model.tables.attribution())


def _score_lines(rows: pl.DataFrame, combos: list[dict[str, Any]]) -> pl.DataFrame:
    """One line per row and theme: each row's key joined to the scores of that key."""
    table = pl.DataFrame(
        {
            "key_id": [c["key_id"] for c in combos],
            "theme": [c["theme"] for c in combos],
            "score": [c["score"] for c in combos],
        },
        schema={"key_id": pl.UInt32, "theme": pl.Categorical, "score": pl.Float64},
    )
    return (
        rows.lazy()
        .select("row_id", "key_id")
        .join(table.lazy(), on="key_id", how="left")
        .with_columns(
            level=pl.when(pl.col("score") >= ref.HIGH)
            .then(pl.lit("high"))
            .when(pl.col("score") >= ref.MEDIUM)
            .then(pl.lit("medium"))
            .otherwise(pl.lit("low"))
            .cast(pl.Categorical)
        )
        .collect()
    )


# --- a stored scan ------------------------------------------------------------------

# Bumped when the stored form changes: a stored scan of another form is computed again.
STORED_FORMAT = 1
STORED_ROW_SCHEMA = {
    "row_id": pl.Utf8,
    "name": pl.Utf8,
    "country_raw": pl.Utf8,
    "country": pl.Utf8,
    "sector": pl.Utf8,
    "good": pl.Utf8,
    "workers": pl.Int64,
    "key_id": pl.UInt32,
}


def to_stored(result: ScanResult) -> dict[str, Any]:
    """A scan result as JSON: its rows (with their key) and the scored keys with their
    reasons; the per-theme lines are a join of the two and are not stored."""
    rows = result.rows.select(pl.col(name).cast(dtype) for name, dtype in STORED_ROW_SCHEMA.items())
    return {
        "format": STORED_FORMAT,
        "rows": rows.to_dict(as_series=False),
        "combos": result.combos,
        "sources": result.sources,
        "attribution": result.attribution,
    }


def from_stored(doc: dict[str, Any]) -> ScanResult:
    """The scan result `to_stored` wrote (no indicator is scored again)."""
    rows = pl.DataFrame(doc["rows"], schema=STORED_ROW_SCHEMA)
    combos: list[dict[str, Any]] = doc["combos"]
    return ScanResult(rows, None, combos, doc["sources"], doc["attribution"])


def combine(parts: Sequence[tuple[str, ScanResult]]) -> ScanResult:
    """Several scans as one (e.g. every member's stored scan for a covenant's analysis):
    rows side by side, each row id prefixed with its part's name, the keys renumbered
    so one (country, sector, good) is one key. Nothing is scored again; the parts were
    scored with the same indicator data (a stored scan is fresh or computed anew)."""
    key_ids: dict[tuple[Any, str, str], int] = {}
    combos: list[dict[str, Any]] = []
    scored: set[tuple[int, str]] = set()  # (key, theme) already in `combos`
    frames = []
    for prefix, part in parts:
        renumber: dict[int, int] = {}
        for c in part.combos:
            key_id = key_ids.setdefault((c["country"], c["sector"], c["good"]), len(key_ids))
            renumber[c["key_id"]] = key_id
            if (key_id, c["theme"]) not in scored:
                scored.add((key_id, c["theme"]))
                combos.append({**c, "key_id": key_id})
        frames.append(
            part.rows.select(
                pl.col(name).cast(dtype) for name, dtype in STORED_ROW_SCHEMA.items()
            ).with_columns(
                row_id=pl.lit(f"{prefix}-") + pl.col("row_id"),
                key_id=pl.col("key_id").replace_strict(renumber, return_dtype=pl.UInt32),
            )
        )
    rows = pl.concat(frames) if frames else pl.DataFrame(schema=STORED_ROW_SCHEMA)
    sources = parts[0][1].sources if parts else {}
    attribution = parts[0][1].attribution if parts else []
    return ScanResult(rows, None, combos, sources, attribution)


def scan_row_by_row(model: Model, records: list[dict[str, Any]]) -> list[tuple[Any, str, float]]:
    """The straightforward implementation: every row, every theme, one at a time.

    Kept as the reference for tests and the benchmark; returns (row_id, theme, score).
    """
    out = []
    for i, rec in enumerate(records, start=1):
        country = country_code(rec.get("country"))
        text = f"{rec.get('sector') or ''} {rec.get('product') or ''}"
        sector = ref.sector_of(text)
        good = model.good_of(text)
        for c in combo_scores(model, country, sector, good):
            out.append((rec.get("row_id", i), c["theme"], c["score"]))
    return out


# --- summaries --------------------------------------------------------------------


def weighted(result: ScanResult) -> pl.DataFrame:
    """Scores per (country, sector, good, theme) with the number of rows and workers carrying them.

    Every row with the same key has the same theme scores, so summaries work on the
    keys weighted by their row counts: a million rows summarise as fast as a few
    hundred keys.
    """
    counts = result.rows.group_by("key_id").agg(
        n=pl.len(), workers=pl.col("workers").fill_null(0).sum()
    )
    return result.combo_table().join(counts, on="key_id", how="inner")


def theme_summary(result: ScanResult) -> list[dict[str, Any]]:
    """Per theme: rows at each level, the highest score, and the countries driving it; highest first."""
    if result.rows.is_empty():
        return []
    w = weighted(result)
    agg = (
        w.group_by("theme")
        .agg(
            high=pl.col("n").filter(pl.col("score") >= ref.HIGH).sum(),
            medium=pl.col("n")
            .filter((pl.col("score") >= ref.MEDIUM) & (pl.col("score") < ref.HIGH))
            .sum(),
            low=pl.col("n").filter(pl.col("score") < ref.MEDIUM).sum(),
            max_score=pl.col("score").max(),
            mean_score=(pl.col("score") * pl.col("n")).sum() / pl.col("n").sum(),
        )
        .sort(["max_score", "high", "mean_score", "theme"], descending=[True, True, True, False])
    )
    top = w.sort(["score", "n", "country"], descending=[True, True, False], nulls_last=True)
    out = []
    for r in agg.iter_rows(named=True):
        t = top.filter(pl.col("theme") == r["theme"]).head(3)
        drivers = [
            {
                "country": d["country"],
                "sector": d["sector"],
                "score": d["score"],
                "rows": d["n"],
                "good": d["good"],
                "weight": ref.SECTOR_PROFILES[d["sector"]]["weights"][r["theme"]],
                "reasons": result.reasons_for(d["country"], d["sector"], r["theme"], d["good"]),
            }
            for d in t.iter_rows(named=True)
        ]
        out.append(
            {
                "theme": r["theme"],
                "label": str(ref.THEME_LABELS.get(r["theme"], r["theme"])),
                "high": r["high"],
                "medium": r["medium"],
                "low": r["low"],
                "max_score": r["max_score"],
                "mean_score": round(r["mean_score"], 1),
                "level": level_of(r["max_score"]),
                "drivers": drivers,
            }
        )
    return out


def heatmap(result: ScanResult, by: str = "country") -> dict[str, Any]:
    """Country (or sector) x theme grid of the highest score, rows sorted by their worst theme."""
    empty = {
        "rows": [],
        "cols": ref.THEME_CODES,
        "values": [],
        "counts": [],
        "labels": [],
        "table": [],
    }
    if result.rows.is_empty():
        return empty
    w = weighted(result).with_columns(pl.col(by).fill_null("??"))
    grid = w.group_by(by, "theme").agg(score=pl.col("score").max())
    counts = dict(
        w.filter(pl.col("theme") == ref.THEME_CODES[0])
        .group_by(by)
        .agg(pl.col("n").sum())
        .iter_rows()
    )
    cells = {(r[by], r["theme"]): r["score"] for r in grid.iter_rows(named=True)}
    keys = sorted(
        {k for k, _cell in cells},
        key=lambda k: (-max(cells.get((k, t)) or 0 for t in ref.THEME_CODES), k),
    )
    values = [[cells.get((k, t)) for t in ref.THEME_CODES] for k in keys]
    return {
        "rows": keys,
        "cols": ref.THEME_CODES,
        "values": values,
        "counts": [counts.get(k, 0) for k in keys],
        "labels": [str(ref.THEME_LABELS[t]) for t in ref.THEME_CODES],
        "table": [
            {
                "key": k,
                "name": country_name(k) if by == "country" and k != "??" else k,
                "count": counts.get(k, 0),
                "cells": [
                    {
                        "theme": str(ref.THEME_LABELS[t]),
                        "score": v,
                        "level": level_of(v) if v is not None else "",
                    }
                    for t, v in zip(ref.THEME_CODES, vals, strict=True)
                ],
            }
            for k, vals in zip(keys, values, strict=True)
        ],
    }


def reason_text(reasons: list[dict[str, Any]]) -> str:
    """Reasons as one readable line, in English as stored: indicator, value, source and
    edition (`imvo.risk.reasons.reason_text` writes it in the reader's language)."""
    return "; ".join(f"{r['label']}: {r['shown']}{source_note(r)}" for r in reasons)


def source_note(reason: dict[str, Any]) -> str:
    """The source and edition a reason names (" [WGI 2022]"), or nothing."""
    return f" [{reason['source']} {reason['edition']}]" if reason.get("source") else ""


def top_rows(result: ScanResult, limit: int = 10) -> list[dict[str, Any]]:
    """The sourcing rows (facilities or hand-entered countries) with the highest risk, and their worst themes."""
    if result.rows.is_empty():
        return []
    w = weighted(result).sort("score", descending=True)
    per_key = w.group_by("key_id", maintain_order=True).agg(
        score=pl.col("score").first(),
        themes=pl.col("theme").head(3),
        scores=pl.col("score").head(3),
    )
    rows = (
        result.rows.join(per_key, on="key_id", how="left")
        .sort(["score", "workers", "row_id"], descending=[True, True, False], nulls_last=True)
        .head(limit)
    )
    return [
        {
            "row_id": r["row_id"],
            "name": r["name"] or "",
            "country": r["country"] or r["country_raw"] or "??",
            "sector": r["sector"],
            "workers": r["workers"],
            "score": r["score"],
            "level": level_of(r["score"]),
            "themes": [
                {"label": str(ref.THEME_LABELS[t]), "score": s}
                for t, s in zip(r["themes"], r["scores"], strict=True)
            ],
        }
        for r in rows.iter_rows(named=True)
    ]
