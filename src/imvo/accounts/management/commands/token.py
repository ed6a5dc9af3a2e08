"""Create, list or revoke API tokens."""

from django.core.management.base import BaseCommand, CommandError

from imvo.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "API tokens: `token create USER [--name N]`, `token list USER`, `token revoke PREFIX`."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("who", help="username (create, list) or token prefix (revoke)")
        parser.add_argument("--name", default="")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        if opts["action"] == "revoke":
            n = ApiToken.objects.filter(prefix=opts["who"]).update(revoked=True)
            if not n:
                raise CommandError(f"No token starting with {opts['who']!r}.")
            self.stdout.write(f"Revoked {n} token(s).")
            return
        user = User.objects.filter(username=opts["who"]).first()
        if user is None:
            raise CommandError(f"No user {opts['who']!r}.")
        if opts["action"] == "list":
            for t in user.api_tokens.all():
                state = "revoked" if t.revoked else "active"
                self.stdout.write(
                    f"{t.prefix}  {t.name or '-'}  created {t.created:%Y-%m-%d}  {state}"
                )
            return
        _, raw = ApiToken.issue(user, opts["name"])
        self.stdout.write(raw)
        self.stderr.write(
            "Store this token now: it is shown only once. Use: Authorization: Bearer <token>"
        )
