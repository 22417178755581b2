from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from pledgewatch.cli.i18n import OVERVIEW


class BackupConfig(AppConfig):
    name = "pledgewatch.backup"
    label = "backup"
    verbose_name = _("Backup, restore and audit trail")

    def ready(self):
        for usage in (("backup FILE", gettext_noop("Write the whole database to a file (SQLite or PostgreSQL)")),
                      ("restore FILE [--force]", gettext_noop("Replace the database with a backup")),
                      ("audit [--model M] [--since DATE]", gettext_noop("List recent changes to the ledger"))):
            if usage not in OVERVIEW:
                OVERVIEW.append(usage)
