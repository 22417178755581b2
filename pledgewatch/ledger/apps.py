from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "pledgewatch.ledger"
    label = "ledger"
    verbose_name = _("Ledger")

    def ready(self) -> None:
        from pledgewatch.ledger import audit, stored  # noqa: PLC0415 (AppConfig: apps not ready at import)

        audit.connect()  # history rows say who changed what and why, whichever other apps are installed
        stored.install()  # amounts no field can hold (NaN, ±Infinity, too many digits) read as empty
