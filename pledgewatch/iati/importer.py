"""Import IATI activity files into the ledger: one transaction per file, bulk writes in batches.

- A file whose content hash was imported before with the same options is skipped unread.
- An activity whose fingerprint is unchanged is skipped; a changed one updates its commitment (with a
  history row and, when the stage moved, a StageChange); an older version (by last-updated-datetime)
  never overwrites a newer one.
- A broken or refused file leaves the database as it was before that file; the error names the file,
  line and element. A killed import leaves whole files only; the next run skips those and goes on.
"""

import gc
import hashlib
import json
import os
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pledgewatch.iati import mapping
from pledgewatch.iati.exceptions import IatiError
from pledgewatch.iati.inputs import Input, expand
from pledgewatch.iati.models import FileStatus, IatiActivity, ImportedFile, ImportRun, RunStatus
from pledgewatch.iati.orgs import OrgCache
from pledgewatch.iati.parser import parse_datetime
from pledgewatch.iati.pipeline import LOOKAHEAD, LocalFeed, Readers
from pledgewatch.iati.scope import Scope
from pledgewatch.iati.writer import create_many, update_one
from pledgewatch.ledger.models import Commitment, CommitmentCountry, Country, Source
from pledgewatch.totals.version import deferred_bumps, refresh_commitments

BATCH = 500
# With one reader process (`--jobs 2`) the importing process reads and maps every LOCAL_EVERY-th file itself:
# a reader's work per activity (parse, fingerprint, read, map, pickle) is about 1.6 times the importing
# process's (unpickle, write), so the importing process would otherwise wait for the reader about a third
# of the time (see docs/iati.md, Performance).
LOCAL_EVERY = 5
IMPORT_GC = (50_000, 10, 10)  # gc.set_threshold while an import runs (see Importer.run)
_FAILED, _UNCHANGED = "failed", "unchanged"  # statuses of an input besides its sha256
SAMPLES_PER_KIND = 5


@dataclass
class Filters:
    recipients: frozenset[str] = frozenset()
    reporting_org: str = ""
    since: date | None = None
    initiative: str = ""

    def key(self) -> str:
        data = {"r": sorted(self.recipients), "o": self.reporting_org, "s": str(self.since or ""),
                "i": self.initiative}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


@dataclass
class Summary:
    """What an import did; `as_json()` is what the command prints with --format json."""

    files: int = 0
    files_imported: int = 0
    files_unchanged: int = 0
    files_failed: int = 0
    counts: Counter = field(default_factory=Counter)
    warnings: Counter = field(default_factory=Counter)
    samples: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def activities(self) -> int:
        return sum(self.counts.values())

    def warn(self, kind: str, place: str, message: str) -> None:
        self.warnings[kind] += 1
        samples = self.samples.setdefault(kind, [])
        if len(samples) < SAMPLES_PER_KIND:
            samples.append(f"{place}: {message}")

    def as_json(self) -> dict:
        return {"files": self.files, "files_imported": self.files_imported,
                "files_unchanged": self.files_unchanged, "files_failed": self.files_failed,
                "activities": {k: self.counts.get(k, 0) for k in
                               ("new", "updated", "unchanged", "skipped", "linked", "review")},
                "warnings": dict(sorted(self.warnings.items())), "warning_samples": self.samples,
                "errors": [{"file": f, "error": e} for f, e in self.errors], "seconds": round(self.seconds, 3)}


class Importer:
    """Import IATI files with the given filters; `run(paths)` returns a Summary."""

    def __init__(self, filters: Filters | None = None, *, progress=None, batch_size: int = BATCH, jobs: int = 1):
        self.filters = filters or Filters()
        self.jobs = max(1, jobs)
        self._mostly_unchanged = False  # readers send the XML only (pipeline.py) while this holds
        self.progress = progress
        self.batch_size = batch_size
        self.summary = Summary()
        self.known_countries = set(Country.objects.values_list("code", flat=True))
        self.scope = Scope.load(self.filters.initiative) if self.filters.initiative else None
        self.orgs = OrgCache()
        self.ct = ContentType.objects.get_for_model(Commitment)
        self.dedupe = _dedupe_pool()
        self.claimed: set[int] = set()  # commitments linked to an activity in this run
        self.today = timezone.localdate()
        self.written: set[int] = set()  # commitments written in the current file

    # ------------------------------------------------------------ run and files

    def run(self, paths: list[str]) -> Summary:
        """Import every file under paths and return the summary."""
        started = time.monotonic()
        _mark_interrupted_runs()
        run = ImportRun.objects.create(pid=os.getpid(), options={
            "paths": [str(p) for p in paths], "recipients": sorted(self.filters.recipients),
            "reporting_org": self.filters.reporting_org, "since": str(self.filters.since or ""),
            "initiative": self.filters.initiative})
        self.run_record = run
        # What exists now (Django, caches) stays: the cyclic collector then only looks at what the import
        # makes, which saves about a fifth of the importing process's CPU.
        gc.freeze()
        # the import makes millions of short-lived objects, freed by their reference counts (unpickled
        # batches, rows): collecting young objects every 50,000 allocations instead of 700 (the default)
        # saves about a tenth of this process's CPU; what it makes in cycles is still collected
        thresholds = gc.get_threshold()
        gc.set_threshold(*IMPORT_GC)
        try:
            if self.jobs > 1:
                self._run_pipeline(expand(paths))
            else:
                for inp in expand(paths):
                    self.summary.files += 1
                    self._import_input(inp, self._status(inp))
                    if self.progress:
                        self.progress(self.summary, inp.name)
        finally:
            gc.set_threshold(*thresholds)
            gc.unfreeze()
        self.summary.seconds = time.monotonic() - started
        run.finished_at = timezone.now()
        run.status = RunStatus.FAILED if self.summary.errors else RunStatus.DONE
        run.summary = self.summary.as_json()
        run.save(update_fields=["finished_at", "status", "summary"])
        return self.summary

    def _run_pipeline(self, inputs) -> None:
        """Import the inputs in order while reader processes read and map the next files (pipeline.py)."""
        readers = Readers(self.jobs - 1, batch_size=self.batch_size, known_countries=self.known_countries,
                          language=translation.get_language() or settings.LANGUAGE_CODE,
                          filters=dict(vars(self.filters)))
        pending: deque = deque()  # (input, status, feed or None) in input order
        assigned = read = 0
        inputs = iter(inputs)
        try:
            while True:
                while assigned < LOOKAHEAD * len(readers) and len(pending) < 64:
                    inp = next(inputs, None)
                    if inp is None:
                        break
                    status = self._status(inp)
                    feed = None
                    if status not in (_FAILED, _UNCHANGED):
                        read += 1
                        if len(readers) == 1 and read % LOCAL_EVERY == 0:
                            feed = LocalFeed(inp, self.batch_size)  # read here, when its turn comes
                        else:
                            feed = readers.submit(inp, lazy=self._mostly_unchanged)
                            assigned += 1
                    pending.append((inp, status, feed))
                if not pending:
                    break
                inp, status, feed = pending.popleft()
                if feed is not None and not isinstance(feed, LocalFeed):
                    assigned -= 1
                self.summary.files += 1
                self._import_input(inp, status, feed)
                if self.progress:
                    self.progress(self.summary, inp.name)
        finally:
            readers.close()

    def _status(self, inp: Input) -> str:
        """Return _FAILED (unreadable input), _UNCHANGED (imported before with these options) or the sha256."""
        if inp.error is not None:
            return _FAILED
        sha = inp.sha256()
        return _UNCHANGED if self._done(sha) else sha

    def _done(self, sha: str) -> bool:
        return ImportedFile.objects.filter(sha256=sha, options_key=self.filters.key(), status=FileStatus.DONE).exists()

    def _import_input(self, inp: Input, status: str, feed=None) -> None:
        if status == _FAILED:
            self._fail(inp, "", inp.error)
            return
        # a reader's file may have been imported since it was assigned (the same content twice in one run)
        if status == _UNCHANGED or (feed is not None and self._done(status)):
            if feed is not None:
                feed.close()
            self.summary.files_unchanged += 1
            return
        sha, key = status, self.filters.key()
        feed = feed or LocalFeed(inp, self.batch_size)
        try:
            head = feed.head()
            # One transaction per file. Inside it, the cached progress is invalidated once: the bulk writes
            # bypass the signals, so the written commitments' counting outcomes are refreshed here, and
            # the signals of the few ORM writes (organisations, updates) are grouped with them. The inner
            # savepoint keeps the transaction usable after a database error until the refresh is dropped
            # with everything else.
            with transaction.atomic(), deferred_bumps():
                with transaction.atomic():
                    record = ImportedFile.objects.create(run=self.run_record, path=inp.name[:1000], sha256=sha,
                                                         options_key=key, size=inp.size, version=head.version,
                                                         status=FileStatus.DONE)
                    self.written = set()
                    counts, warnings = self._import_file(inp, head, record, feed)
                    record.activities = sum(counts.values())
                    record.counts = dict(counts)
                    record.warnings = dict(warnings)
                    record.save(update_fields=["activities", "counts", "warnings"])
                if self.written:
                    refresh_commitments(self.written)
        except IatiError as exc:
            self._forget()
            self._fail(inp, sha, exc)
            return
        except DatabaseError as exc:  # the file's transaction is rolled back; report it and go on
            self._forget()
            self._fail(inp, sha, IatiError(_("The database refused this file's data (%(error)s).")
                                           % {"error": exc}, path=inp.name))
            return
        finally:
            feed.close()
        self.summary.files_imported += 1
        self.summary.counts.update(counts)
        self._mostly_unchanged = counts["unchanged"] * 2 > sum(counts.values())

    def _forget(self) -> None:
        """Drop what was cached from a file whose transaction was rolled back."""
        self.orgs.forget()
        self.claimed.clear()

    def _fail(self, inp: Input, sha: str, exc: IatiError) -> None:
        self.summary.files_failed += 1
        if not exc.path:
            exc.path = inp.name
        self.summary.errors.append((inp.name, str(exc)))
        ImportedFile.objects.create(run=self.run_record, path=inp.name[:1000], sha256=sha or "-",
                                    options_key=self.filters.key(), size=inp.size, status=FileStatus.FAILED,
                                    error=str(exc))

    def _import_file(self, inp: Input, head, record, feed) -> tuple[Counter, Counter]:
        counts: Counter = Counter()
        warnings: Counter = Counter()
        seen: set[str] = set()
        for raws in feed.batches(head):
            batch = []
            for a in raws:
                if not a.identifier:
                    self._file_warn(warnings, "missing_identifier", f"{inp.name}:{a.line}",
                                    _("iati-activity #%(n)d has no iati-identifier; skipped") % {"n": a.index})
                    counts["skipped"] += 1
                    continue
                if a.identifier in seen:
                    self._file_warn(warnings, "duplicate_identifier", f"{inp.name}:{a.line}",
                                    _("%(id)s appears again in this file; the first one is kept")
                                    % {"id": a.identifier})
                    counts["skipped"] += 1
                    continue
                seen.add(a.identifier)
                batch.append(a)
            self._flush(batch, inp, head, record, counts, warnings)
        return counts, warnings

    def _file_warn(self, warnings: Counter, kind: str, place: str, message: str) -> None:
        warnings[kind] += 1
        self.summary.warn(kind, place, message)

    def _file_warn_all(self, warnings: Counter, place: str, found: list) -> None:
        """`_file_warn` for each (kind, message) of one activity (about four per activity on JICA's files)."""
        counted, samples = self.summary.warnings, self.summary.samples
        for kind, message in found:
            warnings[kind] += 1
            counted[kind] += 1
            kept = samples.get(kind)
            if kept is None:
                kept = samples[kind] = []
            if len(kept) < SAMPLES_PER_KIND:
                kept.append(f"{place}: {message}")

    # ------------------------------------------------------------ filters

    def _wanted(self, raw, a) -> bool:
        """Return whether the filters keep the activity (a reader process may have decided it already)."""
        if raw.plan is not None and raw.plan.wanted is not None:
            return raw.plan.wanted
        return wanted(a, self.filters, self.known_countries)

    # ------------------------------------------------------------ batches

    def _flush(self, batch: list, inp: Input, head, record, counts: Counter, warnings: Counter) -> None:
        if not batch:
            return
        # fingerprints first (small rows); whole records (with their JSON data) only of changed activities
        known = dict(IatiActivity.objects.filter(identifier__in=[a.identifier for a in batch]).values_list(
            "identifier", "fingerprint"))
        changed = [a.identifier for a in batch if known.get(a.identifier, a.fingerprint) != a.fingerprint]
        existing = {ia.identifier: ia for ia in IatiActivity.objects.filter(
            identifier__in=changed).select_related("commitment")} if changed else {}
        creates, updates = [], []
        plans = {}  # plans made by a reader process (pipeline.py)
        for raw in batch:
            if known.get(raw.identifier) == raw.fingerprint:
                counts["unchanged"] += 1
                continue
            ia = existing.get(raw.identifier)
            if ia is not None and (_older(raw, ia) or raw.fingerprint in ia.superseded):
                counts["skipped"] += 1
                self._file_warn(warnings, "older_version", f"{inp.name}:{raw.line}",
                                _("%(id)s is older than the version already imported; kept the newer one")
                                % {"id": raw.identifier})
                continue
            a = raw.read(head)  # read fully only what is new or changed
            if raw.plan is not None:
                plans[a.identifier] = raw.plan
            if a.warnings:
                self._file_warn_all(warnings, f"{inp.name}:{a.line}", a.warnings)
            if not self._wanted(raw, a):
                counts["skipped"] += 1
            elif ia is None:
                creates.append(a)
            else:
                updates.append((a, ia))
        ctx = _Ctx(self, inp, head, record, counts, warnings, plans)
        if creates:
            self.written.update(create_many(ctx, creates))
        if updates:
            for a, ia in updates:
                if update_one(ctx, a, ia):  # False: a value was refused, the activity skipped
                    self.written.add(ia.commitment_id)
                    counts["updated"] += 1


@dataclass
class _Ctx:
    """What the writer needs to know about the current file."""

    importer: Importer
    inp: Input
    head: object
    record: ImportedFile
    counts: Counter
    warnings: Counter
    plans: dict = field(default_factory=dict)

    def warn(self, a, kind: str, message: str) -> None:
        self.importer._file_warn(self.warnings, kind, f"{self.inp.name}:{a.line}", message)

    @property
    def file_name(self) -> str:
        return os.path.basename(self.inp.name)

    def source(self, a, commitment_id: int) -> Source:
        return Source(**self.source_row(a, commitment_id))

    @cached_property
    def _source_parts(self) -> tuple:
        """What every Source row of this batch shares: the note's translated template, the file, the address."""
        return (_("IATI activity %(id)s, %(file)s line %(line)d: /iati-activities/iati-activity[%(n)d]"),
                os.path.basename(self.inp.name), self.inp.url[:1000], self.importer.ct.pk)

    def source_row(self, a, commitment_id: int) -> dict:
        """Return the Source row of an activity's commitment (as column values)."""
        template, file_name, url, content_type_id = self._source_parts
        note = template % {"id": a.identifier, "file": file_name, "line": a.line, "n": a.index}
        return {"content_type_id": content_type_id, "object_id": commitment_id, "url": url,
                "quote": a.identifier, "seen_on": self.importer.today, "note": note[:500]}


def wanted(a, f: Filters, known_countries) -> bool:
    """Return whether the filters keep the activity (reporting organisation, recipients, date)."""
    if f.reporting_org and (a.reporting_org.get("ref") or "") != f.reporting_org:
        return False
    if f.recipients:
        codes = {c for c, _share in mapping.recipients(a, known_countries)[0]}
        if not codes & f.recipients:
            return False
    if f.since:
        updated = parse_datetime(a.last_updated)
        if updated is not None:
            return updated.date() >= f.since
        dates = [d["iso"] for d in a.dates if d["iso"]] + [t["date"] for t in a.transactions if t["date"]]
        return any(date.fromisoformat(d) >= f.since for d in dates)
    return True


def _older(a, ia: IatiActivity) -> bool:
    new = parse_datetime(a.last_updated)
    return bool(new and ia.last_updated and new < ia.last_updated)


def _mark_interrupted_runs() -> None:
    """Mark runs left `running` by a process that no longer exists (kill -9) as interrupted."""
    for run in ImportRun.objects.filter(status=RunStatus.RUNNING):
        alive = False
        if run.pid and run.pid != os.getpid():
            try:
                os.kill(run.pid, 0)
                alive = True
            except OSError:
                alive = False
        if not alive:
            run.status = RunStatus.INTERRUPTED
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "finished_at"])


def _dedupe_pool() -> set[tuple[str, str]] | None:
    """Return (country, instrument) pairs of commitments not from IATI, or None when there are none.

    Only activities that share such a pair are checked for duplicates, so that a big import does not
    query the ledger once per activity for nothing.
    """
    pairs = set(CommitmentCountry.objects.filter(commitment__iati_identifier__isnull=True).values_list(
        "country_id", "commitment__instrument"))
    return pairs or None



