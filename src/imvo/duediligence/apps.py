from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuediligenceConfig(AppConfig):
    name = "imvo.duediligence"
    verbose_name = _("Due diligence")
