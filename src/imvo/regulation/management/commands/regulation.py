"""`imvo regulation`: a member's filings under the law, from the command line.

    imvo regulation esrs COVENANT YEAR --as USER [--organisation SLUG] [--format html|xlsx|json] -o FILE
    imvo regulation pack COVENANT YEAR --as USER [--organisation SLUG] -o FILE.zip
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

    def _user(self, username: str) -> Any:
        from imvo.accounts.models import User

        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return user

    def _submission_id(self, user: Any, opts: dict[str, Any]) -> int:
        from imvo.accounts import services as roles
        from imvo.duediligence.services.access import submissions_visible_to

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
        user = self._user(opts["username"])
        try:
            pk = self._submission_id(user, opts)
            if opts["action"] == "esrs":
                doc = exports.check_esrs_draft(user, pk, opts["format"])
            else:
                doc = exports.check_csddd_pack(user, pk)
        except DomainError as e:
            raise CommandError(str(e)) from None
        with doc.file.open("rb") as src, open(opts["output"], "wb") as out:
            out.write(src.read())
        self.stdout.write(
            f"{doc.get_kind_display()} written to {opts['output']} (sha256 {doc.sha256})."
        )
