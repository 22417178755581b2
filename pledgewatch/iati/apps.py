from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IatiConfig(AppConfig):
    name = "pledgewatch.iati"
    label = "iati"
    verbose_name = _("IATI import and export")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from pledgewatch.exports.formats import register
        from pledgewatch.iati.download import IatiFormat

        register(IatiFormat())
