"""Create a platform user, optionally with an organisation and covenant roles."""

import getpass

from django.core.management.base import BaseCommand, CommandError

from imvo.accounts import seams as roles
from imvo.accounts.models import User
from imvo.covenants.models import Covenant, Organisation


class Command(BaseCommand):
    help = "Create a user (with --organisation, --secretariat COVENANT, --committee COVENANT, --admin)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password", help="Asked for when left out (reads IMVO_PASSWORD first)."
        )
        parser.add_argument("--organisation", help="Organisation slug the user belongs to.")
        parser.add_argument(
            "--secretariat", action="append", default=[], help="Covenant slug or id."
        )
        parser.add_argument("--committee", action="append", default=[], help="Covenant slug or id.")
        parser.add_argument("--admin", action="store_true", help="Platform administrator.")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        import os

        from imvo.covenants.services import get_covenant

        if User.objects.filter(username=opts["username"]).exists():
            raise CommandError(f"User {opts['username']!r} already exists.")
        org = None
        if opts["organisation"]:
            org = Organisation.objects.filter(slug=opts["organisation"]).first()
            if org is None:
                raise CommandError(f"No organisation with slug {opts['organisation']!r}.")
        covenants = {}
        for kind in ("secretariat", "committee"):
            try:
                covenants[kind] = [get_covenant(k) for k in opts[kind]]
            except Covenant.DoesNotExist as e:
                raise CommandError(str(e)) from None
        password = opts["password"] or os.environ.get("IMVO_PASSWORD")
        if not password:
            password = getpass.getpass("Password: ")
        user = User.objects.create_user(
            opts["username"],
            email=opts["email"],
            password=password,
            organisation=org,
            is_superuser=opts["admin"],
            is_staff=opts["admin"],
        )
        for kind, items in covenants.items():
            for c in items:
                roles.grant_role(user, c, kind)
        self.stdout.write(self.style.SUCCESS(f"Created user {user.username}."))
