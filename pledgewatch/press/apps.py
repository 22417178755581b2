from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PressConfig(AppConfig):
    name = "pledgewatch.press"
    label = "press"
    verbose_name = _("press texts and review queue")
    default_auto_field = "django.db.models.BigAutoField"
