from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "imvo.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from imvo.accounts import two_factor
        from imvo.accounts.services import role_facts
        from imvo.core import backup, scoping

        # core.scoping applies the one visibility rule; the roles are ours.
        scoping.use_roles(role_facts)
        backup.register_verifier("totp-secrets", two_factor.restore_fingerprints)
