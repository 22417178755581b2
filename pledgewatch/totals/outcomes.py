"""Incremental progress: each commitment's counting outcome is stored, and running totals are kept per key.

`progress.progress()` applies the counting rules to every candidate commitment (74 s at 1M commitments).
Here the outcome of each in-scope commitment is stored once as its *parts* (what it adds to which total:
`[dimension, key, amount, flags]`, table `exports_commitmentoutcome`), and the totals of every dimension
(pillar, focus area, country, instrument, sector, year, stage, day, rate…) are kept in
`exports_outcomebucket`, exact Decimals stored as text. A write to a commitment recomputes only that
commitment and moves the difference of its parts into the buckets (`refresh(ids)`), inside the writing
transaction; a read (`progress_from_outcomes()`) assembles the same dict as `progress()` from a few hundred
bucket rows.

A change of the counting rules (the initiative's rules or scope) is seen at the next read by its
fingerprint; a change of the rate table or of pillars/focus areas, and bulk writes of unknown rows, mark
the outcomes stale (`mark_stale()`). A stale initiative is rebuilt in batches (`rebuild()`): outside a
transaction (a web request), `progress.cached_progress()` starts the rebuild in a background thread
(`rebuild_in_background()`) and meanwhile serves the last complete figures marked as being recomputed
(`recomputing_note()`); inside a transaction, or when no figures were ever stored, the read rebuilds.
"""

import hashlib
import json
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal, localcontext

from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pledgewatch.ledger.counting import Counted, Rules, allocate, counting_for, country_shares, rules_for
from pledgewatch.ledger.models import Commitment, Initiative
from pledgewatch.ledger.money import Money
from pledgewatch.totals.models import CommitmentOutcome, OutcomeBucket, OutcomeState

FORMAT = "2"  # 2: the stage parts carry NOT_EXACT. Bump when the parts change meaning: every stored outcome is rebuilt
UNASSIGNED = "unassigned"
NO_MONEY, NOT_EXACT = 1, 2  # flags of a part
CHUNK = 1000  # commitments per refresh query
BUILD_CHUNK = 20_000  # range of commitment ids per rebuild batch
EXACT = 80  # Decimal precision of the running totals: sums of stored parts are exact

logger = logging.getLogger(__name__)


def fingerprint(rules: Rules) -> str:
    """Return a digest of the counting rules (a stored outcome is valid only under the same rules)."""
    text = json.dumps([FORMAT, rules.as_json()], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rate_key(rate) -> str:
    return hashlib.sha1(json.dumps(rate.as_json(), sort_keys=True).encode("utf-8")).hexdigest()[:24]  # noqa: S324


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def parts_of(c: Counted, horizon_start: date, rates: dict | None = None) -> list[list]:
    """Return what one counted item adds to the totals, as progress() adds it (an empty list: nothing)."""
    if not c.in_scope:
        return []
    item, headline = c.item, c.headline
    missing = NO_MONEY if headline is None else 0
    flags = missing | (NOT_EXACT if headline is not None and item.qualifier != "exact" else 0)
    parts: list[list] = [["n", "commitments", None, 0], ["stage", item.stage, _money(headline), flags]]
    if c.status == "cancelled":
        parts.append(["n", "cancelled", None, 0])
    elif c.status == "pipeline":
        parts.append(["total", "pipeline", _money(headline), missing])
    if not c.counts:
        return parts
    parts.append(["total", "counted", _money(headline), flags])
    if c.money_status in {"undisclosed", "unconvertible"}:
        parts.append(["n", c.money_status, None, 0])
    if "up_to" in c.flags:
        parts.append(["n", "up_to", None, 0])
    if c.rate is not None and c.rate.period != "identity":
        key = rate_key(c.rate)
        if rates is not None:
            rates[key] = c.rate.as_json()
        parts.append(["rate", key, None, 0])
    if headline is not None:
        day = max(item.date or horizon_start, horizon_start)
        parts.append(["day", day.isoformat(), _money(headline), 0])
    parts.append(["pillar", str(item.pillar_id or UNASSIGNED), _money(headline), flags])
    focus = [(str(f), Decimal(1) / len(item.focus_area_ids)) for f in item.focus_area_ids]
    countries = country_shares(item.countries)
    with localcontext() as ctx:
        ctx.prec = 34
        for dimension, fractions in (("focus_area", focus), ("country", countries)):
            fractions = fractions or [(UNASSIGNED, Decimal(1))]
            if headline is None:
                parts.extend([dimension, str(key), None, flags] for key, _f in fractions)
            else:
                parts.extend([dimension, str(key), str(part), flags] for key, part in allocate(headline, fractions))
    parts.append(["instrument", item.instrument, _money(headline), flags])
    parts.append(["sector", item.sector, _money(headline), flags])
    parts.append(["year", str(item.date.year) if item.date else UNASSIGNED, _money(headline), flags])
    return parts


class Tally:
    """Differences of bucket totals, accumulated in memory and then written in one pass."""

    def __init__(self):
        self.delta: dict[tuple[str, str], list] = defaultdict(lambda: [Decimal(0), 0, 0, 0])

    def add(self, parts: list[list], sign: int) -> None:
        for dimension, key, amount, flags in parts:
            d = self.delta[(dimension, key)]
            if amount is not None:
                d[0] += Decimal(amount) if sign > 0 else -Decimal(amount)
            d[1] += sign
            if flags & NO_MONEY:
                d[2] += sign
            if flags & NOT_EXACT:
                d[3] += sign

    def write(self, initiative, rates: dict) -> None:
        """Add the differences to the stored buckets (the caller holds the initiative's state lock)."""
        changed = {k: v for k, v in self.delta.items() if v[0] or any(v[1:])}
        if not changed:
            return
        existing = {}
        keys = sorted({k for _d, k in changed})
        for i in range(0, len(keys), 500):
            for b in OutcomeBucket.objects.filter(initiative=initiative, key__in=keys[i:i + 500]):
                existing[(b.dimension, b.key)] = b
        create, update, delete = [], [], []
        for (dimension, key), (amount, n, undisclosed, nonexact) in changed.items():
            b = existing.get((dimension, key))
            if b is None:
                b = OutcomeBucket(initiative=initiative, dimension=dimension, key=key, amount="0",
                                  data=rates.get(key) if dimension == "rate" else None)
            b.amount = str(Decimal(b.amount) + amount)
            b.count += n
            b.undisclosed += undisclosed
            b.nonexact += nonexact
            if b.pk is None:
                create.append(b)
            elif b.count <= 0:  # no commitment adds to this key any more
                delete.append(b.pk)
            else:
                update.append(b)
        if create:
            OutcomeBucket.objects.bulk_create(create, batch_size=500)
        if update:
            OutcomeBucket.objects.bulk_update(update, ["amount", "count", "undisclosed", "nonexact"], batch_size=500)
        if delete:
            OutcomeBucket.objects.filter(pk__in=delete).delete()


def _outcome_rows(initiative, counted: list[Counted], rates: dict) -> dict[int, tuple]:
    """Return {commitment id: (parts, up_to, unconvertible)} of the in-scope items."""
    out = {}
    for c in counted:
        parts = parts_of(c, initiative.horizon_start, rates)
        if parts:
            out[c.item.id] = (parts, c.counts and "up_to" in c.flags,
                              c.counts and c.money_status == "unconvertible")
    return out


def rebuild(initiative) -> float:
    """Recompute every stored outcome and bucket of an initiative in batches; return the seconds it took."""

    started = time.perf_counter()
    with transaction.atomic():
        state, _created = OutcomeState.objects.select_for_update().get_or_create(initiative=initiative)
        counting = counting_for(initiative)
        CommitmentOutcome.objects.filter(initiative=initiative).delete()
        OutcomeBucket.objects.filter(initiative=initiative).delete()
        candidates = counting.candidates()
        tally, rates = Tally(), {}
        low = candidates.order_by("pk").values_list("pk", flat=True).first()
        high = candidates.order_by("-pk").values_list("pk", flat=True).first()
        with localcontext() as ctx:
            ctx.prec = EXACT
            for start in range(low or 0, (high or -1) + 1, BUILD_CHUNK):
                qs = candidates.filter(pk__gte=start, pk__lt=start + BUILD_CHUNK)
                rows = _outcome_rows(initiative, counting.count(qs), rates)
                CommitmentOutcome.objects.bulk_create(
                    [CommitmentOutcome(initiative=initiative, commitment_id=cid, parts=parts, up_to=up_to,
                                       unconvertible=unconvertible)
                     for cid, (parts, up_to, unconvertible) in rows.items()], batch_size=2000)
                for parts, _u, _c in rows.values():
                    tally.add(parts, 1)
            tally.write(initiative, rates)
        seconds = time.perf_counter() - started
        state.fingerprint = fingerprint(counting.rules)
        state.seconds = Decimal(f"{seconds:.3f}")
        state.save()
    return seconds


def refresh(ids, initiatives=None) -> None:
    """Recompute the outcomes of the commitments `ids` (changed, created or deleted) and move the difference
    into the running totals of every initiative whose stored outcomes are valid (others are rebuilt later)."""

    ids = sorted({int(i) for i in ids if i is not None})
    if not ids:
        return
    with transaction.atomic():
        for initiative in initiatives or Initiative.objects.order_by("pk"):
            state = OutcomeState.objects.select_for_update().filter(initiative=initiative).first()
            if state is None or not state.fingerprint:
                continue
            counting = counting_for(initiative)
            if state.fingerprint != fingerprint(counting.rules):
                continue  # the rules changed: the next read rebuilds everything
            tally, rates = Tally(), {}
            with localcontext() as ctx:
                ctx.prec = EXACT
                for i in range(0, len(ids), CHUNK):
                    chunk = ids[i:i + CHUNK]
                    # not through candidate_commitments(): a commitment outside the scope gets no parts anyway
                    # (scope share 0), and the plain id list keeps the queries on the primary key
                    qs = Commitment.objects.filter(pk__in=chunk)
                    new = _outcome_rows(initiative, counting.count(qs), rates)
                    old = {o.commitment_id: o for o in CommitmentOutcome.objects.filter(
                        initiative=initiative, commitment_id__in=chunk)}
                    _apply(initiative, tally, old, new)
                tally.write(initiative, rates)


def _apply(initiative, tally: Tally, old: dict, new: dict) -> None:
    create, update, delete = [], [], []
    for cid in old.keys() | new.keys():
        before, after = old.get(cid), new.get(cid)
        if before is not None and after is not None and before.parts == after[0]:
            continue
        if before is not None:
            tally.add(before.parts, -1)
        if after is not None:
            tally.add(after[0], 1)
            if before is None:
                create.append(CommitmentOutcome(initiative=initiative, commitment_id=cid, parts=after[0],
                                                up_to=after[1], unconvertible=after[2]))
            else:
                before.parts, before.up_to, before.unconvertible = after
                update.append(before)
        else:
            delete.append(before.pk)
    if create:
        CommitmentOutcome.objects.bulk_create(create, batch_size=500)
    if update:
        CommitmentOutcome.objects.bulk_update(update, ["parts", "up_to", "unconvertible"], batch_size=500)
    if delete:
        CommitmentOutcome.objects.filter(pk__in=delete).delete()


def mark_stale() -> None:
    """Mark every initiative's stored outcomes stale (rate table or pillars changed, or unknown bulk writes)."""
    OutcomeState.objects.exclude(fingerprint="").update(fingerprint="")


def is_current(initiative, rules: Rules | None = None) -> bool:
    """Return whether the initiative's stored outcomes are built and valid under its current rules."""
    stored = OutcomeState.objects.filter(initiative=initiative).values_list("fingerprint", flat=True).first()
    return stored == fingerprint(rules or rules_for(initiative))


def ensure_built(initiative) -> Rules:
    """Rebuild the initiative's outcomes when they are missing, stale or built under other rules."""
    rules = rules_for(initiative)
    if not is_current(initiative, rules):
        rebuild_if_stale(initiative)
    return rules


def rebuild_if_stale(initiative) -> float:
    """Rebuild the initiative's outcomes unless, once its state row is locked, they turn out to be current
    (another process or thread rebuilt them meanwhile); return the seconds the rebuild took (0.0: none)."""
    with transaction.atomic():
        state = OutcomeState.objects.select_for_update().filter(initiative=initiative).first()
        if state is not None and state.fingerprint == fingerprint(rules_for(initiative)):
            return 0.0
        return rebuild(initiative)


_running: set[int] = set()
_running_lock = threading.Lock()
THREAD_PREFIX = "pledgewatch-outcomes-"  # + the initiative's id: the name of its background rebuild


def rebuild_in_background(initiative, then: Callable[[], None]) -> bool:
    """Start rebuilding the initiative's stale outcomes in a thread of this process (one at a time per
    initiative and process; across processes the state lock lets one rebuild and the others find it done).
    When a rebuild was done, `then()` is called (the caller bumps the ledger version, so that every cached
    figure is computed again from the rebuilt outcomes). Return whether a thread was started."""
    pk = initiative.pk
    with _running_lock:
        if pk in _running:
            return False
        _running.add(pk)

    def run() -> None:
        try:
            found = Initiative.objects.filter(pk=pk).first()
            if found is not None and rebuild_if_stale(found):
                then()
        except Exception:  # the next reader starts another rebuild; the figures stay marked as recomputing
            logger.exception("rebuilding the counting outcomes of initiative %s failed", pk)
        finally:
            connection.close()
            with _running_lock:
                _running.discard(pk)

    # named, so that whoever must wait for it finds it (threading.enumerate()); no list of threads is kept
    threading.Thread(target=run, name=f"{THREAD_PREFIX}{pk}", daemon=True).start()
    return True


def recomputing_note(computed_at) -> dict:
    """Return the mark of figures served while the outcomes are rebuilt: when they were computed, and a
    sentence in the active language."""
    when = timezone.localtime(computed_at)
    return {"computed_at": when.isoformat(timespec="seconds"), "message": _(
        "These figures were computed on %(when)s. Exchange rates or counting rules have changed since, and "
        "the figures are being recomputed; reload the page in a few minutes.") % {
        "when": formats.date_format(when, "DATETIME_FORMAT")}}


def buckets(initiative) -> dict[str, dict[str, tuple]]:
    """Return {dimension: {key: (amount, count, undisclosed, nonexact, data)}} of the stored totals."""
    out: dict[str, dict[str, tuple]] = defaultdict(dict)
    rows = list(OutcomeBucket.objects.filter(initiative=initiative).annotate(raw=Cast("data", TextField()))
                .values_list("dimension", "key", "amount", "count", "undisclosed", "nonexact", "raw"))
    # the rates' JSON decoded in one call (thousands of rates at 1M commitments), not one call per row
    data = json.loads("[" + ",".join(r[6] or "null" for r in rows) + "]")
    for (dimension, key, amount, n, undisclosed, nonexact, _raw), value in zip(rows, data, strict=True):
        out[dimension][key] = (Decimal(amount), n, undisclosed, nonexact, value)
    return out


def listed(initiative) -> tuple[list[int], list[dict]]:
    """Return the counted commitments with an "up to" amount (ids) and those without a rate (id and money)."""
    up_to = list(CommitmentOutcome.objects.filter(initiative=initiative, up_to=True).order_by(
        "commitment_id").values_list("commitment_id", flat=True))
    ids = CommitmentOutcome.objects.filter(initiative=initiative, unconvertible=True).values("commitment_id")
    unconvertible = [{"commitment": pk, "amount": Money(amount, currency, qualifier).as_json()}
                     for pk, amount, currency, qualifier in Commitment.objects.filter(pk__in=ids).order_by(
                         "pk").values_list("pk", "amount", "currency", "qualifier")]
    return up_to, unconvertible
