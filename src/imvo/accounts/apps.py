from django.utils.translation import gettext_lazy as _

from imvo.core import appconfig


class AccountsConfig(appconfig.ImvoConfig):
    name = "imvo.accounts"
    verbose_name = _("Accounts")
    verifiers = {"totp-secrets": "two_factor.restore_fingerprints"}

    def connect(self) -> None:
        from imvo.accounts.services import role_facts
        from imvo.core import scoping

        # core.scoping applies the one visibility rule; the roles are ours.
        scoping.use_roles(role_facts)
