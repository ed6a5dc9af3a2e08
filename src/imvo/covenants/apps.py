from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CovenantsConfig(AppConfig):
    name = "imvo.covenants"
    verbose_name = _("Covenants")
