"""`imvo risk import SOURCE FILE`, `imvo risk sources`, `imvo risk bundle --from DIR`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imvo.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Risk indicator data. `risk import SOURCE FILE [--edition YEAR]` loads a publisher's file "
        "(SOURCE: wgi = World Bank WGI CSV, ituc = ITUC Global Rights Index JSON, ilab = US DOL "
        "ILAB goods list CSV/XLSX); `risk sources` lists the data in use; `risk bundle --from DIR` "
        "rebuilds the bundled table from the publishers' files."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a publisher's file")
        imp.add_argument("source", choices=["wgi", "ituc", "ilab"])
        imp.add_argument("file")
        imp.add_argument(
            "--edition", type=int, default=None, help="edition year (default: from the file)"
        )
        sub.add_parser("sources", help="list the indicator sources in use")
        b = sub.add_parser("bundle", help="rebuild src/imvo/risk/data from the publishers' files")
        b.add_argument("--from", dest="source_dir", required=True)
        b.add_argument("--out", default=None)

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        from imvo.risk import services

        try:
            if opts["action"] == "import":
                src, skipped = services.import_source(
                    opts["source"], Path(opts["file"]), opts["edition"]
                )
                self.stdout.write(
                    f"Imported {src.values.count()} values and {src.goods.count()} listed goods: {src}."
                    f" Licence: {src.licence}."
                )
                for s in skipped[:20]:
                    self.stderr.write(f"skipped {s}")
                if len(skipped) > 20:
                    self.stderr.write(f"... and {len(skipped) - 20} more skipped")
            elif opts["action"] == "sources":
                for row in services.sources_in_use():
                    self.stdout.write(
                        f"{row['code']:5} {row['name']} {row['edition_year']} ({row['publisher']}); "
                        f"{row['values']} values; {row['origin']}; licence: {row['licence']}; {row['url']}"
                    )
            else:
                from imvo.risk.bundle import DATA_DIR, build_bundle

                out = Path(opts["out"]) if opts["out"] else DATA_DIR
                counts = build_bundle(Path(opts["source_dir"]), out)
                self.stdout.write(
                    f"Bundle written to {out}: " + ", ".join(f"{k} {v}" for k, v in counts.items())
                )
        except DomainError as e:
            raise CommandError(str(e)) from None
