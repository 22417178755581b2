from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TotalsConfig(AppConfig):
    name = "pledgewatch.totals"
    label = "totals"
    verbose_name = _("Saved totals")

    def ready(self) -> None:
        from pledgewatch.totals import signals  # noqa: PLC0415 (AppConfig: apps not ready at import)

        signals.connect()
