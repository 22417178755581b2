"""The delivery worker: atomic claims, send, mark sent only after the server accepted, retry, rate limits.

Crash safety: a delivery is claimed (state `sending`, `claimed_by` this worker) before it is sent and
marked `sent` in its own statement right after the server's 250. A worker killed at any moment leaves
its claimed rows in `sending`; they go back to `queued` when their claim is stale (the worker's process
is gone on this host, or the lease ran out), so nothing is lost and only the one message that was in
flight can be sent twice.

Database away: the loop logs the error and waits (1, 2, 4… up to 30 s) until the database is back, then
first records the messages the server accepted while the database was away, then gives its other
claimed rows back to the queue. A delivery is never marked sent unless the server accepted it.
"""

import contextlib
import os
import socket
import time
import uuid
from datetime import timedelta

from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.backends.signals import connection_created
from django.db.models import F, Min
from django.utils import timezone

from pledgewatch.newsletter import conf, issues, tokens
from pledgewatch.newsletter.bounces import process_maildir, record_smtp_rejection
from pledgewatch.newsletter.models import CLAIMABLE, Delivery, DeliveryState, Issue, IssueState
from pledgewatch.newsletter.render import FastComposer, IssueRenderer
from pledgewatch.newsletter.transport import CONNECTION_LOST, Outcome, Transport, dkim_sign

HOST = socket.gethostname()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def requeue_stale(now=None, *, me: str = "") -> int:
    """Put claimed rows of dead workers (this host) or with expired leases back in the queue."""
    now = now or timezone.now()
    expired = now - timedelta(seconds=conf.get("LEASE_SECONDS"))
    moved = Delivery.objects.filter(state=DeliveryState.SENDING, claimed_at__lt=expired).update(
        state=DeliveryState.QUEUED, claimed_by="", claimed_at=None)
    owners = set(Delivery.objects.filter(state=DeliveryState.SENDING).exclude(claimed_by=me)
                 .values_list("claimed_by", flat=True).distinct())
    for owner in owners:
        host, _, rest = owner.partition(":")
        pid = rest.partition(":")[0]
        if host == HOST and pid.isdigit() and (int(pid) == os.getpid() or not pid_alive(int(pid))):
            moved += Delivery.objects.filter(state=DeliveryState.SENDING, claimed_by=owner).update(
                state=DeliveryState.QUEUED, claimed_by="", claimed_at=None)
    return moved


def _async_commit(sender=None, connection=None, **kwargs) -> None:
    """PostgreSQL: do not wait for the WAL flush at each commit (a database crash may lose the last marks).

    Other sessions see each commit at once, so a killed worker still loses nothing and duplicates at most
    the message in flight; only a crash of the database server itself can re-send the last few messages.
    """
    if connection is not None and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")


class RateLimiter:
    """Messages per second (spacing in this process) and per hour (counted in the database)."""

    def __init__(self, per_second: float, per_hour: int):
        self.interval = 1.0 / per_second if per_second else 0.0
        self.per_hour = per_hour
        self.last = 0.0

    def wait_turn(self) -> None:
        if self.interval:
            delay = self.last + self.interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.last = time.monotonic()

    def hour_allowance(self, now) -> int | None:
        """Return how many messages may still go this hour (None: no hourly limit)."""
        if not self.per_hour:
            return None
        used = Delivery.objects.filter(state=DeliveryState.SENT, sent_at__gt=now - timedelta(hours=1)).count()
        return max(self.per_hour - used, 0)


class Worker:
    """Send queued deliveries until told to stop (or until idle)."""

    def __init__(self, *, transport: Transport | None = None, log=None):
        self.id = f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.transport = transport or Transport()
        self.limiter = RateLimiter(conf.get("RATE_PER_SECOND"), conf.get("RATE_PER_HOUR"))
        self.renderers: dict[int, IssueRenderer] = {}
        self.composer = FastComposer()
        self.log = log or (lambda message: None)
        self.sent = 0
        self.unrecorded: list[tuple[Delivery, Outcome]] = []  # accepted while the database was away
        self.db_failures = 0
        self.last_housekeeping = 0.0
        self.last_auto = 0.0

    # ------------------------------------------------------------ claims

    def claim(self, limit: int) -> list[Delivery]:
        """Claim up to `limit` due deliveries of sending issues, atomically."""
        now = timezone.now()
        ids: list[int] = []
        with transaction.atomic():
            # one query per state so that the (state, next_attempt_at) index gives the order without a sort
            for state in (DeliveryState.DEFERRED, DeliveryState.QUEUED):
                due = (Delivery.objects.filter(state=state, next_attempt_at__lte=now,
                                               issue__state=IssueState.SENDING).order_by("next_attempt_at", "id"))
                if connection.vendor == "postgresql":
                    due = due.select_for_update(skip_locked=True, of=("self",))
                # SQLite: the IMMEDIATE transaction holds the single write lock; the UPDATE re-checks the state
                ids += list(due.values_list("id", flat=True)[:limit - len(ids)])
                if len(ids) >= limit:
                    break
            if not ids:
                return []
            Delivery.objects.filter(id__in=ids, state__in=CLAIMABLE).update(
                state=DeliveryState.SENDING, claimed_by=self.id, claimed_at=now)
        rows = Delivery.objects.filter(id__in=ids, state=DeliveryState.SENDING, claimed_by=self.id)
        # the issue (with its large content) is loaded once per worker by the renderer, not once per row
        return list(rows.select_related("member").order_by("id"))

    def release(self, rows: list[Delivery], delay: float) -> None:
        """Give claimed but untried rows back to the queue, due after `delay` seconds."""
        if rows:
            Delivery.objects.filter(id__in=[r.id for r in rows], state=DeliveryState.SENDING,
                                    claimed_by=self.id).update(
                state=DeliveryState.QUEUED, claimed_by="", claimed_at=None,
                next_attempt_at=timezone.now() + timedelta(seconds=delay))

    # ------------------------------------------------------------ one delivery

    def _finish(self, d: Delivery, state: str, outcome: Outcome | None, reply: str = "", **extra) -> None:
        values = {"state": state, "claimed_by": "", "claimed_at": None, **extra}
        if outcome is not None:
            values.update(smtp_code=outcome.code or None, smtp_reply=outcome.reply[:2000],
                          duration_ms=outcome.duration_ms, attempts=F("attempts") + 1)
        elif reply:
            values["smtp_reply"] = reply
        Delivery.objects.filter(pk=d.pk, state=DeliveryState.SENDING, claimed_by=self.id).update(**values)

    def mark_sent(self, d: Delivery, outcome: Outcome) -> None:
        """Record the server's acceptance in one statement (the hot path: plain SQL, no ORM overhead)."""
        table = connection.ops.quote_name(Delivery._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET state = %s, claimed_by = '', claimed_at = NULL, sent_at = %s, "  # noqa: S608
                "smtp_code = %s, smtp_reply = %s, duration_ms = %s, attempts = attempts + 1 "
                "WHERE id = %s AND state = %s AND claimed_by = %s",
                [DeliveryState.SENT.value, timezone.now(), outcome.code, outcome.reply[:2000],
                 outcome.duration_ms, d.pk, DeliveryState.SENDING.value, self.id])

    def backoff(self, attempts: int) -> float:
        base, most = conf.get("RETRY_BASE_SECONDS"), conf.get("RETRY_MAX_SECONDS")
        return min(base * (2 ** max(attempts - 1, 0)), most)

    def message_bytes(self, d: Delivery) -> bytes:
        renderer = self.renderers.get(d.issue_id)
        if renderer is None:
            renderer = self.renderers[d.issue_id] = IssueRenderer(Issue.objects.get(pk=d.issue_id))
        subj, text, html, _manage, unsub = renderer.for_member(d.member)
        data = self.composer.compose(to=d.member.email, subject_line=subj, text=text, html=html,
                                     return_path=tokens.verp_address(d.pk), unsubscribe_url=unsub,
                                     extra={"X-Pledgewatch-Delivery": str(d.pk)})
        return dkim_sign(data)

    def deliver(self, d: Delivery) -> Outcome | None:
        """Try one claimed delivery and record the result; return the SMTP outcome (None: not tried)."""
        member, now = d.member, timezone.now()
        if member.unsubscribed_at or member.suppression:
            self._finish(d, DeliveryState.SUPPRESSED, None,
                         reply=member.get_suppression_display() if member.suppression else "unsubscribed")
            return None
        if now > d.deadline:
            self._finish(d, DeliveryState.FAILED, None, reply="deadline passed before delivery")
            return None
        try:
            data = self.message_bytes(d)
        except (OperationalError, InterfaceError):
            raise  # the database is away: not the message's fault
        except Exception as exc:  # a rendering bug must not stop the queue: record it on the row
            self._finish(d, DeliveryState.FAILED, None, reply=f"could not build the message: {exc!r}"[:2000])
            return None
        self.limiter.wait_turn()
        outcome = self.transport.send(tokens.verp_address(d.pk), member.email, data)
        if outcome.accepted:
            try:
                self.mark_sent(d, outcome)
            except (OperationalError, InterfaceError):
                self.unrecorded.append((d, outcome))  # recorded by recover() when the database is back
                raise
            self.sent += 1
        elif outcome.permanent:
            state = record_smtp_rejection(d, outcome)
            self._finish(d, state, outcome)
        else:
            delay = self.backoff(d.attempts + 1)
            retry_at = timezone.now() + timedelta(seconds=delay)
            if retry_at > d.deadline:
                self._finish(d, DeliveryState.FAILED, outcome)
            else:
                self._finish(d, DeliveryState.DEFERRED, outcome, next_attempt_at=retry_at)
        return outcome

    # ------------------------------------------------------------ loop

    def recover(self) -> None:
        """After a database outage: record what the server accepted meanwhile, requeue the rest of our claims."""
        while self.unrecorded:
            d, outcome = self.unrecorded[0]
            self.mark_sent(d, outcome)
            self.unrecorded.pop(0)
            self.sent += 1
        Delivery.objects.filter(state=DeliveryState.SENDING, claimed_by=self.id).update(
            state=DeliveryState.QUEUED, claimed_by="", claimed_at=None)
        self.db_failures = 0

    def database_away(self, exc: Exception) -> None:
        """Log the database error, drop the broken connection and wait before the next try."""
        self.db_failures += 1
        pause = min(2.0 ** (self.db_failures - 1), 30.0)
        self.log(f"database unavailable ({str(exc).strip().splitlines()[0] if str(exc).strip() else exc!r}); "
                 f"retrying in {pause:.0f}s")
        with contextlib.suppress(OperationalError, InterfaceError):
            connection.close()
        time.sleep(pause)

    def housekeeping(self, force: bool = False) -> None:
        """Requeue stale claims, queue due scheduled issues, make automatic issues, read bounces."""
        mono = time.monotonic()
        if not force and mono - self.last_housekeeping < 5:
            return
        self.last_housekeeping = mono
        requeue_stale(me=self.id)
        issues.due_scheduled()
        if conf.get("AUTO_DAYS") and mono - self.last_auto > 600:
            self.last_auto = mono
            issues.auto_issue()
        maildir = conf.get("BOUNCE_MAILDIR")
        if maildir:
            process_maildir(maildir)
        issues.finish_done_issues()

    def next_due_in(self) -> float | None:
        """Return seconds until the next claimable delivery is due (None: nothing waits)."""
        nxt = (Delivery.objects.filter(state__in=CLAIMABLE, issue__state=IssueState.SENDING)
               .aggregate(m=Min("next_attempt_at"))["m"])
        others = Delivery.objects.filter(state=DeliveryState.SENDING).exclude(claimed_by=self.id).exists()
        if nxt is None:
            return 1.0 if others else None
        return max((nxt - timezone.now()).total_seconds(), 0.0)

    def issue_stopped(self, issue_id: int) -> bool:
        return not Issue.objects.filter(pk=issue_id, state=IssueState.SENDING).exists()

    def run_batch(self) -> int:
        """Claim and try one batch; return how many deliveries were tried."""
        limit = conf.get("CLAIM_BATCH")
        allowance = self.limiter.hour_allowance(timezone.now())
        if allowance is not None:
            limit = min(limit, allowance)
            if limit == 0:
                return 0
        rows = self.claim(limit)
        for i, d in enumerate(rows):
            outcome = self.deliver(d)
            if outcome is not None and outcome.code in (CONNECTION_LOST, 421):
                # the server is down or throttling: the rest of the batch waits as long as this one
                pause = self.backoff(d.attempts + 1)
                self.release(rows[i + 1:], pause)
                self.log(f"connection trouble ({outcome.code} {outcome.reply}); pausing {pause:.1f}s")
                break
            if outcome is not None and outcome.permanent and self.issue_stopped(d.issue_id):
                self.release(rows[i + 1:], 0)  # paused (mass block-list failure): the rest stays queued
                break
        return len(rows)

    def run(self, *, until_idle: bool = False, wait: float = 60.0, poll: float = 1.0,
            max_batches: int | None = None) -> int:
        """Send until stopped, or with until_idle until nothing is due within `wait`; return messages sent."""
        if conf.get("ASYNC_COMMIT") and connection.vendor == "postgresql":
            connection_created.connect(_async_commit, weak=False, dispatch_uid="newsletter-async-commit")
            connection.ensure_connection()
            _async_commit(connection=connection)
        self.housekeeping(force=True)
        batches = 0
        try:
            while max_batches is None or batches < max_batches:
                batches += 1
                try:
                    if self.db_failures:
                        self.recover()
                    self.housekeeping()
                    if self.run_batch():
                        continue
                    issues.finish_done_issues()
                    due_in = self.next_due_in()
                except (OperationalError, InterfaceError) as exc:
                    self.database_away(exc)
                    continue
                if until_idle and (due_in is None or due_in > wait):
                    break
                time.sleep(min(due_in if due_in is not None else poll, poll if not until_idle else wait, 5.0)
                           or 0.05)
        finally:
            self.transport.close()
            issues.finish_done_issues()
        return self.sent
