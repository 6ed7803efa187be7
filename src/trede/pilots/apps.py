from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "trede.pilots"
    label = "pilots"
    verbose_name = _("Pilots")
