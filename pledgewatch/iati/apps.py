from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IatiConfig(AppConfig):
    name = "pledgewatch.iati"
    label = "iati"
    verbose_name = _("IATI import and export")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from pledgewatch.exports.formats import register  # noqa: PLC0415 (AppConfig: apps not ready at import)
        from pledgewatch.iati.download import IatiFormat  # noqa: PLC0415 (AppConfig: apps not ready at import)

        register(IatiFormat())
