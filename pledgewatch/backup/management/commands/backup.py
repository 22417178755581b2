"""`pledgewatch backup FILE`: write the whole database to one portable file."""

from pathlib import Path

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pledgewatch.backup.archive import unapplied_migrations, write_backup
from pledgewatch.backup.exceptions import BackupError
from pledgewatch.cli.command import PledgewatchCommand


class Command(PledgewatchCommand):
    @property
    def help(self) -> str:  # a plain str in the active language (argparse cannot wrap a lazy string)
        return _("Write the whole database (ledger, history, users, review queue, newsletter, IATI) to a zip of "
                 "JSON Lines that `pledgewatch restore` reads into SQLite or PostgreSQL. The file appears only "
                 "when complete. Example: pledgewatch backup pledgewatch-2026-11-28.zip")

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("the backup file to write (replaced when it exists)"))
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help=gettext_lazy("database alias (default: default)"))

    def handle(self, *args, file, database, **options):
        path = Path(file)
        if not path.parent.is_dir():
            raise CommandError(_("No such folder: %(folder)s") % {"folder": path.parent})
        if path.is_dir():
            raise CommandError(_("%(file)s is a folder; give a file name.") % {"file": path})
        try:
            result = write_backup(path, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:
            raise CommandError(_("The database cannot be read (%(error)s). Nothing was written.")
                               % {"error": exc}) from None
        except OSError as exc:
            raise CommandError(_("Cannot write %(file)s (%(error)s). Nothing was written.")
                               % {"file": path, "error": exc.strerror or exc}) from None
        missing = unapplied_migrations(connections[database])
        if missing:
            self.stderr.write(_("Warning: the database lacks migrations of this version (%(names)s); the backup "
                                "restores only with the version that made it. Run `pledgewatch migrate` first.")
                              % {"names": ", ".join(missing[:5])})
        self.stdout.write(_("Backup written: %(file)s (%(tables)d tables, %(rows)d rows, %(size)s bytes).") % {
            "file": path, "tables": result.tables, "rows": result.rows, "size": f"{path.stat().st_size:,}"})
