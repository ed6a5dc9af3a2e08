"""`imvo scan LIST [--format table|csv|json|xlsx|html] [--out PATH]`: offline risk scan of a supplier list."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from imvo.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Risk scan of a supplier list file (CSV in any common encoding, XLSX or ODS; needs a "
        "country column, uses sector/product when present). Prints the prioritised risks per "
        "theme with their reasons and sources."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("list", help="supplier list file")
        parser.add_argument(
            "--format", choices=["table", "csv", "json", "xlsx", "html"], default="table"
        )
        parser.add_argument(
            "--out", default=None, help="write to this file instead of standard output"
        )

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        from django.utils import translation

        # The report's wording is English; keep the theme names in the same language.
        with translation.override("en"):
            self._handle(**opts)

    def _handle(self, **opts: Any) -> None:
        from django.template.loader import render_to_string

        from imvo.core.exports import to_csv_bytes, to_json_bytes, to_xlsx_bytes
        from imvo.risk import export, services
        from imvo.risk.reader import read_supplier_file
        from imvo.risk.scan import heatmap, theme_summary

        path = Path(opts["list"])
        fmt = opts["format"]
        if fmt == "xlsx" and not opts["out"]:
            raise CommandError("--format xlsx writes a binary file: give --out PATH.xlsx.")
        try:
            records = read_supplier_file(path)
            result = services.scan_records(records)
        except DomainError as e:
            raise CommandError(str(e)) from None
        meta = export.meta(result, path.name)
        if fmt == "table":
            body = export.as_text(result, path.name).encode()
        elif fmt == "csv":
            body = to_csv_bytes(export.ROW_HEADER, export.row_lines(result))
        elif fmt == "xlsx":
            notes = [f"Risk scan of {path.name}", meta["method"], "Sources:", *meta["sources"]]
            body = to_xlsx_bytes(
                export.ROW_HEADER, export.row_lines(result), sheet="risks", notes=notes
            )
        elif fmt == "json":
            doc = json.loads(to_json_bytes(export.ROW_HEADER, export.row_lines(result), meta))
            doc["themes"] = theme_summary(result)
            body = json.dumps(doc, ensure_ascii=False, indent=1, default=str).encode()
        else:
            body = render_to_string(
                "risk/scan_report.html",
                {
                    "file": path.name,
                    "meta": meta,
                    "themes": theme_summary(result),
                    "heat": heatmap(result),
                },
            ).encode()
        if opts["out"]:
            Path(opts["out"]).write_bytes(body)
            self.stderr.write(f"Wrote {opts['out']} ({result.rows.height} rows scanned).")
        else:
            sys.stdout.buffer.write(body)
            sys.stdout.flush()
