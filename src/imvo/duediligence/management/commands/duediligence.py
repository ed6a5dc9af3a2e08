"""`imvo duediligence`: the due-diligence cycle from the command line.

    imvo duediligence figures COVENANT          covenant figures per year (aggregates)
    imvo duediligence export COVENANT --as USER [--year Y] [--format csv|xlsx|json] [-o FILE]
    imvo duediligence install COVENANT TEMPLATE --as USER   install a ready-made framework

Commands that touch confidential data or change the covenant act as a named
user (--as), so the same permission checks apply as on the pages.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imvo.core.errors import DomainError


class Command(BaseCommand):
    help = "Due-diligence figures, exports and frameworks."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        f = sub.add_parser("figures", help="Covenant figures per year (JSON)")
        f.add_argument("covenant")
        e = sub.add_parser("export", help="Assessment results per member (confidential)")
        e.add_argument("covenant")
        e.add_argument("--as", dest="username", required=True)
        e.add_argument("--year", type=int)
        e.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
        e.add_argument("-o", "--output", help="file to write (default: standard output)")
        i = sub.add_parser("install", help="Install a ready-made framework")
        i.add_argument("covenant")
        i.add_argument("template")
        i.add_argument("--as", dest="username", required=True)

    def handle(self, *args: Any, **opts: Any) -> None:
        from imvo.accounts.models import User
        from imvo.covenants.models import Covenant
        from imvo.covenants.seams import get_covenant
        from imvo.duediligence.services.exports import export_rows
        from imvo.duediligence.services.figures import covenant_figures
        from imvo.duediligence.services.frameworks import check_install_framework

        try:
            covenant = get_covenant(opts["covenant"])
        except Covenant.DoesNotExist as e:
            raise CommandError(str(e)) from None
        user = None
        if opts.get("username"):
            user = User.objects.filter(username=opts["username"]).first()
            if user is None:
                raise CommandError(f"No user {opts['username']!r}.")
        try:
            if opts["action"] == "figures":
                self.stdout.write(json.dumps(covenant_figures(covenant), indent=2))
            elif opts["action"] == "install":
                fw = check_install_framework(user, covenant, opts["template"])
                self.stdout.write(f"Installed {fw.name} ({fw.code}) on {covenant.slug}.")
            else:
                from imvo.core.exports import to_csv_bytes, to_json_bytes, to_xlsx_bytes

                header, rows = export_rows(user, covenant, opts.get("year"))
                fmt = opts["format"]
                body = (
                    to_xlsx_bytes(header, rows)
                    if fmt == "xlsx"
                    else to_json_bytes(header, rows)
                    if fmt == "json"
                    else to_csv_bytes(header, rows)
                )
                if opts.get("output"):
                    with open(opts["output"], "wb") as fh:
                        fh.write(body)
                    self.stdout.write(f"{len(rows)} rows written to {opts['output']}.")
                else:
                    sys.stdout.buffer.write(body)
        except DomainError as e:
            raise CommandError(str(e)) from None
