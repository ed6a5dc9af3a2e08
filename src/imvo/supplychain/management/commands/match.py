"""`imvo match LIST --registry REGISTRY.csv --out RESULT.csv`: match a supplier list
against a registry file offline, without a database.

REGISTRY.csv has at least the columns id, name, address, country, optionally
lat, lng. RESULT.csv has one line per input row: row, facility_id, score (match
probability in %), status (automatic, pending, new, invalid), a message for
invalid rows or coordinate warnings, the explanation (JSON: the evidence for the
proposed facility), then the input columns.

`imvo match train [--out MODEL.json]`: re-estimate the model from the shipped
counts plus the platform's labelled decisions (see `supplychain.matching.train`).
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

# No database: the command only reads and writes files.
requires_system_checks: list = []


class _NeutralisingWriter:
    """A csv writer whose every text cell goes through `core.exports.neutralise`."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer

    def writerow(self, row: list[Any]) -> None:
        from imvo.core.exports import neutralise

        self.writer.writerow([neutralise(v) for v in row])


class Command(BaseCommand):
    help = "Match a supplier list (CSV/XLSX/XLS/ODS) against a registry CSV, offline."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("list", help="supplier list file, or 'train'")
        parser.add_argument("--registry", help="registry CSV: id,name,address,country[,lat,lng]")
        parser.add_argument("--out", help="result CSV to write (train: the model file)")
        parser.add_argument("--model", help="model JSON to use instead of the shipped one")
        parser.add_argument(
            "--shared",
            action="store_true",
            help="train: estimate the shipped model again from the real labelled sets in "
            "../shared/data (writes the package's model.json unless --out is given)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["list"] == "train":
            self.train(opts)
            return
        if not opts["registry"] or not opts["out"]:
            raise CommandError("give --registry REGISTRY.csv and --out RESULT.csv.")
        import json

        import polars as pl

        from imvo.supplychain import matching, parsing
        from imvo.supplychain.matching.frame import match_input
        from imvo.supplychain.normalise import normalise_country

        started = time.perf_counter()
        list_path, registry_path = Path(opts["list"]), Path(opts["registry"])
        for p in (list_path, registry_path):
            if not p.is_file():
                raise CommandError(f"{p}: no such file.")
        try:
            table = parsing.read_table(
                list_path.name, list_path.read_bytes(), max_rows=10_000_000, max_bytes=2**40
            )
        except parsing.ParseError as e:
            raise CommandError(str(e)) from e
        mapping = table.column_mapping()
        missing = parsing.missing_required(mapping)
        if missing:
            raise CommandError(
                f"{list_path.name}: no column recognised for {', '.join(missing)} "
                f"(header: {', '.join(table.header)}). Rename those columns to name, address, country."
            )
        try:
            registry = pl.read_csv(registry_path, infer_schema=False)
        except Exception as e:
            raise CommandError(f"{registry_path}: cannot read the registry CSV ({e}).") from e
        registry = registry.rename({c: c.strip().lower() for c in registry.columns})
        lacking = [c for c in ("id", "name", "address", "country") if c not in registry.columns]
        if lacking:
            raise CommandError(
                f"{registry_path}: the registry lacks the column(s) {', '.join(lacking)}."
            )
        # Registries write countries as names or codes too.
        codes = {v: normalise_country(v) or "" for v in registry["country"].unique().to_list()}
        registry = registry.with_columns(pl.col("country").replace_strict(codes, default=""))
        for col in ("lat", "lng"):
            if col in registry.columns:
                registry = registry.with_columns(pl.col(col).cast(pl.Float64, strict=False))
        model = matching.load(Path(opts["model"]) if opts["model"] else None)
        prepared = matching.prepare_registry(registry, model=model)
        results = parsing.validate_rows(table, mapping)
        valid = [r for r in results if r.valid]
        frame = match_input(
            (v["name"], v["address"], v["country_code"], v.get("lat"), v.get("lng"))
            for v in (r.values for r in valid)
        )
        matched = dict(
            zip((r.number for r in valid), matching.match_frame(prepared, frame), strict=True)
        )
        counts: dict[str, int] = {}
        out_path = Path(opts["out"])
        with out_path.open("w", newline="", encoding="utf-8") as fh:
            # The input columns are the supplier list as received: a cell such as
            # =HYPERLINK(...) or +31... must not become a formula when the result is
            # opened in a spreadsheet (docs/security.md, T13 and T23).
            writer = _NeutralisingWriter(csv.writer(fh))
            writer.writerow(
                ["row", "facility_id", "score", "status", "message", "explanation", *table.header]
            )
            for r in results:
                cells = [r.raw.get(h, "") for h in table.header]
                m = matched.get(r.number)
                if m is None:
                    message = "; ".join(f"{c}: {msg}" for c, msg in r.errors) or (
                        f"same facility as row {r.duplicate_of}" if r.duplicate_of else ""
                    )
                    writer.writerow([r.number, "", "", matching.INVALID, message, "", *cells])
                    counts[matching.INVALID] = counts.get(matching.INVALID, 0) + 1
                else:
                    writer.writerow(
                        [
                            r.number,
                            m.facility_id if m.facility_id is not None else "",
                            m.score,
                            m.status,
                            "; ".join(f"{c}: {msg}" for c, msg in r.warnings),
                            json.dumps(m.explanation) if m.explanation else "",
                            *cells,
                        ]
                    )
                    counts[m.status] = counts.get(m.status, 0) + 1
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        sys.stderr.write(
            f"{list_path.name}: {len(results)} rows against {len(prepared):,} facilities in {elapsed:.1f}s: {summary}. Wrote {out_path}\n"
        )

    def train(self, opts: dict[str, Any]) -> None:
        """Shipped counts + people's decisions -> a new model, with before/after figures
        on those decisions (and on the real benchmark sets when ../shared is there)."""
        from imvo.supplychain import matching
        from imvo.supplychain.matching import train
        from imvo.supplychain.models import LabelledPair, SupplierListRow

        if opts.get("shared"):
            self.train_shipped(opts)
            return
        before = matching.load(Path(opts["model"]) if opts["model"] else None)
        labelled = list(LabelledPair.objects.order_by("pk"))
        pairs = [
            train.Pair(
                lp.name,
                lp.address,
                lp.lat,
                lp.lng,
                lp.facility_name,
                lp.facility_address,
                lp.facility_lat,
                lp.facility_lng,
                lp.is_match,
                lp.organisation_id,
            )
            for lp in labelled
        ]
        # Each organisation's lists, read as one, say which leading words are an
        # operator's name and which words are places (features.operator_prefixes).
        lists: dict[Any, tuple[list[str], list[str]]] = {}
        for org, name, address in SupplierListRow.objects.filter(
            supplier_list__organisation_id__in={lp.organisation_id for lp in labelled}
        ).values_list("supplier_list__organisation_id", "name", "address"):
            got = lists.setdefault(org, ([], []))
            got[0].append(name)
            got[1].append(address)
        after = before.merged(train.model_from_pairs(pairs, "platform decisions", lists))
        out = Path(opts["out"]) if opts["out"] else matching.platform_model_path()
        out.parent.mkdir(parents=True, exist_ok=True)
        after.save(out)
        self.stdout.write(f"{len(pairs)} labelled decisions added to the model; wrote {out}")
        if pairs:
            countries = [lp.country for lp in labelled]
            for label, model in (("before", before), ("after", after)):
                f = train.evaluate_pairs(model, pairs, countries)
                self.stdout.write(
                    f"decisions {label}: automatic precision {f['precision']:.3f}, "
                    f"recall {f['recall']:.3f}, pending {f['pending']:.3f}"
                )
        for name, task in train.shared_tasks():
            for label, model in (("before", before), ("after", after)):
                f = train.evaluate_task(model, *task)
                self.stdout.write(
                    f"{name} {label}: automatic precision {f['precision']:.3f}, "
                    f"recall {f['recall']:.3f}, pending {f['pending']:.3f}"
                )

    def train_shipped(self, opts: dict[str, Any]) -> None:
        """The shipped model again, from the real sets alone (no platform decisions)."""
        from imvo.supplychain.matching import model as model_mod
        from imvo.supplychain.matching import train

        if not train.shared_tasks():
            raise CommandError(
                "no real labelled sets found: set IMVO_SHARED_DATA or run beside ../shared"
            )
        model = train.shipped_model()
        out = Path(opts["out"]) if opts["out"] else model_mod.shipped_path()
        model.save(out)
        model_mod._shipped.cache_clear()
        self.stdout.write(f"wrote {out}, trained on: " + "; ".join(model.trained_on))
