"""`imvo report COVENANT YEAR --out report.pdf`: the yearly progress report as PDF."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from imvo.core.errors import DomainError
from imvo.covenants.models import Covenant
from imvo.covenants.seams import get_covenant


class Command(BaseCommand):
    help = (
        "Build a covenant's yearly progress report as PDF from today's data (the same PDF "
        "the secretariat previews). With --published, write the frozen published edition."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("covenant", help="covenant slug or id")
        parser.add_argument("year", type=int, help="reporting year, within the covenant's term")
        parser.add_argument("--out", default="report.pdf", help="PDF file to write")
        parser.add_argument(
            "--published",
            action="store_true",
            help="write the latest published edition instead of building from today's data",
        )
        parser.add_argument("--language", default="en", choices=["en", "nl"])

    def handle(self, *args: Any, **opts: Any) -> None:
        from tqdm import tqdm

        from imvo.reporting import render
        from imvo.reporting.services import build, publication

        try:
            covenant = get_covenant(opts["covenant"])
        except Covenant.DoesNotExist:
            slugs = ", ".join(Covenant.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                f"Unknown covenant {opts['covenant']!r}. Known covenants: {slugs or 'none'}."
            ) from None
        out = Path(opts["out"])
        if not out.parent.exists():
            raise CommandError(f"Cannot write {out}: folder {out.parent} does not exist.")
        year = opts["year"]
        with translation.override(opts["language"]):
            if opts["published"]:
                edition = publication.latest_edition(covenant, year)
                if edition is None:
                    raise CommandError(f"{covenant.name} has no published report for {year}.")
                pdf = bytes(edition.pdf)
            else:
                steps = ["membership", "agreements and KPIs", "other sections", "charts", "PDF"]
                with tqdm(total=len(steps), desc="report", unit="step", file=sys.stderr) as bar:

                    def progress(label: str) -> None:
                        bar.set_postfix_str(label)
                        bar.update(1)

                    try:
                        data = build.build_report(covenant, year, progress=progress)
                    except DomainError as e:
                        raise CommandError(str(e)) from None
                    for error in data["errors"]:
                        self.stderr.write(f"warning: {error}")
                    progress("charts")
                    body = render.render_report_html(data)
                    progress("PDF")
                    pdf = render.render_report_pdf(data, body=body)
        out.write_bytes(pdf)
        self.stdout.write(f"Wrote {out} ({len(pdf) // 1024} KB): {covenant.name}, {year}.")
