"""The one base of pledgewatch's errors: every app's exception base class derives from `PledgewatchError`.

A command (`pledgewatch.cli.command.PledgewatchCommand`) prints a `PledgewatchError` as its message alone and
exits with its `exit_code` (docs/cli.md: exit statuses); views and the API turn the app errors they expect into
pages and JSON.
"""


class PledgewatchError(Exception):
    """Raised if pledgewatch cannot do what was asked; the message says what is wrong and what to do instead."""

    #: exit status of a command stopped by this error (1: the command could not do its work)
    exit_code = 1
