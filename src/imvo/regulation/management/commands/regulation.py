"""`imvo regulation`: a member's filings under the law, from the command line.

    imvo regulation esrs COVENANT YEAR --as USER [--organisation SLUG] [--format html|xlsx|json] -o FILE
    imvo regulation pack COVENANT YEAR --as USER [--organisation SLUG] -o FILE.zip
    imvo regulation plots import COVENANT FILE --as USER     EUDR plots (GeoJSON or CSV), checked
    imvo regulation plots export COVENANT --as USER -o FILE.geojson
    imvo regulation forced-labour import FILE --source NAME   risk areas and products (CSV or JSON)
    imvo regulation forced-labour evidence COVENANT --as USER [--product P] -o FILE.zip
    imvo regulation purge                       remove filed exports past their retention period

Exports act as a named user (--as), so the same checks apply as on the pages:
a member exports its own company's submission; the covenant's secretariat
names the company with --organisation.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imvo.core.errors import DomainError


class Command(BaseCommand):
    help = "ESRS S2 drafts, CSDDD evidence packs, EUDR plots, forced-labour lists, retention."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("esrs", "ESRS S2 disclosure draft"), ("pack", "CSDDD evidence pack")):
            p = sub.add_parser(name, help=text)
            p.add_argument("covenant")
            p.add_argument("year", type=int)
            p.add_argument("--as", dest="username", required=True)
            p.add_argument("--organisation", help="the member company's slug (secretariat)")
            p.add_argument("-o", "--output", required=True, help="file to write")
            if name == "esrs":
                p.add_argument("--format", choices=["html", "xlsx", "json"], default="html")
        sub.add_parser("purge", help="Remove filed exports past their retention period")
        plots = sub.add_parser("plots", help="EUDR plots: import a file, export the GeoJSON")
        plots.add_argument("what", choices=["import", "export"])
        plots.add_argument("covenant")
        plots.add_argument("file", nargs="?", help="the file to import")
        plots.add_argument("--as", dest="username", required=True)
        plots.add_argument("-o", "--output", help="file to write (export)")
        fl = sub.add_parser("forced-labour", help="Forced-labour risk listings and evidence files")
        fl.add_argument("what", choices=["import", "evidence"])
        fl.add_argument("target", help="the file to import, or the covenant")
        fl.add_argument("--source", default="eu-database", help="name of the list (import)")
        fl.add_argument("--as", dest="username", help="the member (evidence)")
        fl.add_argument("--product", default="")
        fl.add_argument("-o", "--output", help="file to write (evidence)")

    def _user(self, username: str) -> Any:
        from imvo.accounts.models import User

        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return user

    def _submission_id(self, user: Any, opts: dict[str, Any]) -> int:
        from imvo.accounts import seams as roles
        from imvo.duediligence.seams import submissions_visible_to

        subs = submissions_visible_to(user).filter(
            covenant__slug=opts["covenant"], year=opts["year"]
        )
        if opts.get("organisation"):
            subs = subs.filter(organisation__slug=opts["organisation"])
        else:
            subs = subs.filter(organisation_id=roles.organisation_id(user) or 0)
        sub = subs.first()
        if sub is None:
            raise CommandError(
                f"No submission for {opts['year']} in {opts['covenant']} that {user.username} "
                "may see (a secretariat names the company with --organisation)."
            )
        return int(sub.pk)

    def handle(self, *args: Any, **opts: Any) -> None:
        from imvo.regulation.services import exports, retention

        if opts["action"] == "purge":
            self.stdout.write(retention.purge_expired())
            return
        try:
            if opts["action"] == "plots":
                self._plots(opts)
                return
            if opts["action"] == "forced-labour":
                self._forced_labour(opts)
                return
        except DomainError as e:
            raise CommandError(str(e)) from None
        user = self._user(opts["username"])
        try:
            pk = self._submission_id(user, opts)
            if opts["action"] == "esrs":
                doc = exports.check_esrs_draft(user, pk, opts["format"])
            else:
                doc = exports.check_csddd_pack(user, pk)
        except DomainError as e:
            raise CommandError(str(e)) from None
        self._write(doc, opts["output"])

    def _write(self, doc: Any, output: str | None) -> None:
        if not output:
            raise CommandError("Name the file to write with -o.")
        with doc.file.open("rb") as src, open(output, "wb") as out:
            out.write(src.read())
        self.stdout.write(f"{doc.get_kind_display()} written to {output} (sha256 {doc.sha256}).")

    def _covenant(self, slug: str) -> Any:
        from imvo.covenants.models import Covenant

        covenant = Covenant.objects.filter(slug=slug).first()
        if covenant is None:
            raise CommandError(f"No covenant {slug!r}.")
        return covenant

    def _plots(self, opts: dict[str, Any]) -> None:
        from pathlib import Path

        from imvo.regulation.services import eudr, exports

        user = self._user(opts["username"])
        covenant = self._covenant(opts["covenant"])
        if opts["what"] == "export":
            self._write(exports.check_eudr_geojson(user, covenant), opts.get("output"))
            return
        if not opts.get("file"):
            raise CommandError("Name the file of plots to import.")
        path = Path(opts["file"])
        upload = eudr.check_upload(user, covenant, path.name, path.read_bytes())
        for e in upload.errors:
            self.stderr.write(f"row {e['row']}, {e['column']}: {e['message']}")
        if upload.errors:
            raise CommandError(f"{len(upload.errors)} errors: nothing imported.")
        self.stdout.write(f"{upload.rows} plots imported.")

    def _forced_labour(self, opts: dict[str, Any]) -> None:
        from pathlib import Path

        from imvo.regulation.services import forced_labour

        if opts["what"] == "import":
            path = Path(opts["target"])
            try:
                data = path.read_bytes()
            except OSError as e:
                raise CommandError(f"Cannot read {path}: {e.strerror or e}.") from None
            n = forced_labour.import_listings(opts["source"], path.name, data)
            self.stdout.write(f"{n} listings imported as {opts['source']}.")
            return
        if not opts.get("username"):
            raise CommandError("Name the member with --as.")
        user = self._user(opts["username"])
        covenant = self._covenant(opts["target"])
        doc = forced_labour.check_evidence_file(user, covenant, opts.get("product", ""))
        self._write(doc, opts.get("output"))
