"""`imvo complaints verify-audit | remind | overdue | purge | rotate-key`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imvo.complaints import crypto
from imvo.complaints.audit import verify_audit
from imvo.complaints.services import deadlines, retention


class Command(BaseCommand):
    help = (
        "Complaints mechanism: verify-audit (check the hash chain), remind (mail due "
        "and overdue cases), overdue (list cases over their limit), purge (remove "
        "personal data of closed cases after the retention period), rotate-key "
        "(re-encrypt everything with a new key)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action", choices=["verify-audit", "remind", "overdue", "purge", "rotate-key"]
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "verify-audit":
            r = verify_audit()
            for p in r.problems:
                self.stderr.write(p)
            if not r.ok:
                raise CommandError(
                    f"Audit trail BROKEN: {len(r.problems)} problem(s) in {r.entries} entries."
                )
            self.stdout.write(f"Audit trail intact: {r.entries} entries, head {r.head}")
        elif action == "remind":
            sent, failed = deadlines.do_send_reminders()
            self.stdout.write(f"Reminders sent for {sent} case(s).")
            if failed:
                raise CommandError(
                    f"{failed} reminder(s) could not be sent: check the mail settings "
                    "(EMAIL_URL, docs/operations.md)."
                )
        elif action == "overdue":
            rows = list(deadlines.overdue_cases())
            for c in rows:
                self.stdout.write(f"{c.reference}\t{c.covenant.slug}\t{c.state}\tdue {c.due}")
            self.stdout.write(f"{len(rows)} case(s) over their time limit.")
        elif action == "purge":
            self.stdout.write(
                f"Personal data removed from {retention.do_purge_personal_data()} closed case(s)."
            )
        elif action == "rotate-key":
            n = retention.do_rotate_keys()
            self.stdout.write(
                f"Re-encrypted {n} complaint(s) with a new key in {crypto.key_file()}."
            )
