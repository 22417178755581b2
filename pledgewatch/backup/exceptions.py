"""Errors of backup and restore; each message says what is wrong and what to do."""

from pledgewatch.exceptions import PledgewatchError


class BackupError(PledgewatchError):
    """Base class: raised if a backup cannot be written or restored (nothing was changed)."""


class BadBackupFile(BackupError):
    """Raised if the file is not a pledgewatch backup, or is damaged (checksums, row counts)."""


class UnknownMigrations(BackupError):
    """Raised if the backup was made with migrations this version of pledgewatch does not know."""


class SchemaMismatch(BackupError):
    """Raised if the backup's migration state or tables differ from the target database's."""


class NotEmpty(BackupError):
    """Raised if the target database holds data and --force was not given."""
