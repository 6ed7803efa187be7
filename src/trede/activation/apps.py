from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivationConfig(AppConfig):
    name = "trede.activation"
    label = "activation"
    verbose_name = _("Activering en meedoen")
