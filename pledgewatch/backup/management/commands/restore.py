"""`pledgewatch restore FILE`: replace the database with a backup (SQLite or PostgreSQL, either way)."""

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.backup.archive import restore_backup
from pledgewatch.backup.exceptions import BackupError
from pledgewatch.cli.command import PledgewatchCommand


class Command(PledgewatchCommand):
    @property
    def help(self) -> str:  # a plain str in the active language (argparse cannot wrap a lazy string)
        return _("Restore a backup written by `pledgewatch backup` into this database, in one transaction: "
                 "an empty database is created first; one that holds data is refused unless --force. "
                 "Example: DATABASE_URL=postgres://pledgewatch@db/pledgewatch pledgewatch restore backup.zip")

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("the backup file"))
        parser.add_argument("--force", action="store_true",
                            help=gettext_lazy("replace the data of a database that is in use"))
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help=gettext_lazy("database alias (default: default)"))

    def handle(self, *args, file, force, database, **options):
        try:
            result = restore_backup(file, using=database, force=force)
        except BackupError as exc:
            raise CommandError(str(exc) + " " + _("Nothing was restored.")) from None
        except DatabaseError as exc:
            raise CommandError(_("The restore failed and was rolled back (%(error)s). The data "
                                 "is as it was.") % {"error": str(exc).strip().splitlines()[0]}) from None
        source = result.manifest["source"]
        self.stdout.write(_("Restored %(file)s: %(tables)d tables, %(rows)d rows (backup of %(date)s from "
                            "%(vendor)s).") % {"file": file, "tables": result.tables, "rows": result.rows,
                                               "date": result.manifest["created_at"][:19],
                                               "vendor": source["vendor"]})
