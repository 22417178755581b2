from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "pledgewatch.ledger"
    label = "ledger"
    verbose_name = _("Ledger")

    def ready(self):
        from pledgewatch.ledger import audit

        audit.connect()  # history rows say who changed what and why, whichever other apps are installed
