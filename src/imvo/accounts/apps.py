from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "imvo.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from imvo.accounts import two_factor
        from imvo.core import backup

        backup.register_verifier("totp-secrets", two_factor.restore_fingerprints)
