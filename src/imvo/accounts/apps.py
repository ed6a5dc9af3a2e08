from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "imvo.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from imvo.accounts.services import role_facts
        from imvo.core import scoping

        # core.scoping applies the one visibility rule; the roles are ours.
        scoping.use_roles(role_facts)
