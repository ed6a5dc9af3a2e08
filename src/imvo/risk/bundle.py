"""The bundled indicator table: a compact copy of the published sources shipped with the code.

A fresh install scans with real data and no download. `imvo risk bundle --from DIR`
rebuilds it from the publishers' files (the same readers as `imvo risk import`).
Files: `data/sources.json` (provenance of each source edition), `data/indicators.csv`
(source, edition, indicator, country, value, raw) and `data/goods.csv` (the ILAB list).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from imvo.risk.importers import SOURCES, Parsed, read_source

DATA_DIR = Path(__file__).resolve().parent / "data"

# The publisher files the bundle is compiled from, by source code.
BUNDLE_FILES = {
    "wgi": "worldbank_wgi_1996_2022.csv",
    "ituc": "ituc_global_rights_index_2024.json",
    "ilab": "dol_ilab_goods_child_forced_labor_2016.csv",
}


def write_bundle(parsed: list[Parsed], out: Path = DATA_DIR) -> dict[str, int]:
    """Write the bundle files from parsed sources; returns the number of values per source."""
    out.mkdir(parents=True, exist_ok=True)
    meta = {}
    counts = {}
    for p in parsed:
        info = SOURCES[p.source]
        meta[p.source] = {
            "name": info.name,
            "publisher": info.publisher,
            "edition_year": p.edition,
            "licence": info.licence,
            "url": info.url,
        }
        counts[p.source] = len(p.values) + len(p.goods)
    (out / "sources.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")
    with (out / "indicators.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["source", "edition", "indicator", "country", "value", "raw"])
        for p in parsed:
            for ind, cc, v, raw in sorted(p.values):
                w.writerow([p.source, p.edition, ind, cc, round(v, 3), raw])
    with (out / "goods.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["source", "edition", "country", "good", "child_labour", "forced_labour"])
        for p in parsed:
            for cc, good, child, forced in sorted(p.goods):
                w.writerow([p.source, p.edition, cc, good, int(child), int(forced)])
    return counts


def build_bundle(source_dir: Path, out: Path = DATA_DIR) -> dict[str, int]:
    """Compile the bundle from a folder holding the publishers' files (see BUNDLE_FILES)."""
    parsed = [read_source(code, source_dir / name) for code, name in BUNDLE_FILES.items()]
    return write_bundle(parsed, out)
