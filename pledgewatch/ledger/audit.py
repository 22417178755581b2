"""Who changed the ledger, and why: the actor of the change-history rows (django-simple-history).

In a web request simple-history records the logged-in user by itself (HistoryRequestMiddleware).
Everything else says who acts with `acting_as`:

    with acting_as(user=reviewer, reason="review: accept proposal #12"):
        commitment.save()              # its history row has history_user=reviewer and the reason

    with acting_as(reason=cli_reason("import csv", path)):
        ...                            # "cli:<os login> import csv commitments.csv"

ORM saves, deletes and m2m changes pick the values up (a `pre_create_historical_record` handler, and the
request context simple-history reads for the user). Bulk writers pass them on themselves:
`bulk_create_with_history(objs, Model, default_user=current_user(), default_change_reason=current_reason())`.
An explicit `obj._change_reason` or `obj._history_user` still wins. The reason column holds 100 characters.
"""

import functools
import getpass
import inspect
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

REASON_LENGTH = 100  # simple-history's history_change_reason is a CharField(max_length=100)

_local = threading.local()


@dataclass(frozen=True)
class Actor:
    user: object | None = None
    reason: str = ""


class _RequestLike:
    """What simple-history reads from its request context: only `.user`."""

    def __init__(self, user):
        self.user = user


def current() -> Actor:
    """Return the actor set by the innermost `acting_as`, or an empty one."""
    return getattr(_local, "actor", None) or Actor()


def current_user():
    """Return the user of the innermost `acting_as` (None outside one)."""
    return current().user


def current_reason() -> str:
    """Return the change reason of the innermost `acting_as` ("" outside one)."""
    return current().reason


def clip(reason: str) -> str:
    """Return reason cut to the length of the history's reason column."""
    reason = " ".join(reason.split())
    return reason if len(reason) <= REASON_LENGTH else reason[: REASON_LENGTH - 1] + "…"


def os_login() -> str:
    """Return the operating-system login of this process ("unknown" when there is none)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER (containers)
        return "unknown"


def cli_reason(command: str, *details) -> str:
    """Return the stable attribution of a CLI action: "cli:<os login> <command> <file names…>"."""
    words = [Path(str(d)).name if isinstance(d, Path) or "/" in str(d) else str(d) for d in details if str(d)]
    return clip(" ".join([f"cli:{os_login()}", command, *words]))


@contextmanager
def acting_as(user=None, reason: str = ""):
    """Record `user` and `reason` on every history row written inside the block (nested blocks inherit).

    A user who is not authenticated (AnonymousUser) is ignored.
    """
    previous = getattr(_local, "actor", None)
    outer = previous or Actor()
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    actor = Actor(user if user is not None else outer.user, clip(reason) if reason else outer.reason)
    context = HistoricalRecords.context
    had_request = hasattr(context, "request")
    saved_request = getattr(context, "request", None)
    _local.actor = actor
    if actor.user is not None:
        context.request = _RequestLike(actor.user)
    try:
        yield actor
    finally:
        _local.actor = previous
        if had_request:
            context.request = saved_request
        elif hasattr(context, "request"):
            del context.request


@contextmanager
def default_reason(reason: str):
    """Set `reason` only when no `acting_as` block says why already (library code, e.g. the seed)."""
    if current_reason():
        yield current()
    else:
        with acting_as(reason=reason) as actor:
            yield actor


def attributed(template: str, *, user_arg: str = "user"):
    """Decorate a function so it runs `acting_as(user=<its user argument>, reason=template.format(**args))`.

    Example: `@attributed("review: accept proposal #{proposal.pk}")` on `accept(proposal, user, …)`.
    """
    def decorate(func):
        signature = inspect.signature(func)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            with acting_as(user=bound.arguments.get(user_arg), reason=template.format(**bound.arguments)):
                return func(*args, **kwargs)
        return wrapper
    return decorate


def _fill_history_row(sender, history_instance, **kwargs) -> None:
    """Give a history row the current actor's user and reason where the save did not set its own."""
    actor = current()
    if actor.reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = actor.reason
    if actor.user is not None and getattr(history_instance, "history_user_id", None) is None:
        history_instance.history_user = actor.user


def connect() -> None:
    """Connect the history handler (called once from an AppConfig.ready)."""
    pre_create_historical_record.connect(_fill_history_row, dispatch_uid="pledgewatch.ledger.audit")
