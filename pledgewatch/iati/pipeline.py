"""Read and map IATI files in worker processes while the importing process writes (`import iati --jobs N`).

The importing process still decides what is read (file hashes) and writes every file in its own
transaction, in the order of the inputs, exactly as with one process. The N-1 reader processes
(spawned: they share nothing with the parent's database connection, and never open one) take the
files to read in turn; with one reader the importing process reads every fifth file itself
(`importer.LOCAL_EVERY`). For each file a reader peeks at the root element, iterparses the activities,
fingerprints them, reads and maps them (`parser.read_activity`, `mapping.plan`), does the rest of the
importer's work that needs no database (`writer.complete`, `importer.wanted`), and sends them back in
batches of plain values, each with a slim Activity (the importing process reads only its identifier,
place, fingerprint, date, warnings and refusals); a broken file ends with its error (file, line, element), which the
importing process raises inside that file's transaction, so the file is rolled back as before.

When most activities of the last file written were unchanged (a corpus imported before whose file
records are gone, or a publisher's new file that repeats most of the old one), the next files are
given to readers `lazy`: a reader then only fingerprints the activities and sends their XML, and the
importing process reads and maps only the new and changed ones, after comparing fingerprints.

Memory stays bounded: a reader has at most LOOKAHEAD files assigned ahead of the one being written
and at most QUEUED batches waiting for the importing process. A reader whose parent is gone (kill -9)
stops within a second.
"""

import contextlib
import gc
import multiprocessing
import os
import queue
import traceback

import django
from django.conf import settings
from django.utils import translation
from lxml import etree

from pledgewatch.iati import exceptions, mapping
from pledgewatch.iati.exceptions import IatiError
from pledgewatch.iati.parser import Activity, Raw, iter_batches, peek

LOOKAHEAD = 2  # files assigned to each reader ahead of the one being written
QUEUED = 3  # batches waiting per reader
POLL = 1.0  # seconds between checks that the other side is still alive
READER_GC = (50_000, 10, 10)  # a reader process's gc.set_threshold


def default_jobs() -> int:
    """Return the default number of processes of an import: two where there are two cores or more."""
    return max(1, min(2, os.cpu_count() or 1))


class ReaderFailed(RuntimeError):
    """Raised if a reader process died or hit an unexpected error (not a broken file: a bug)."""


def _error_payload(exc) -> tuple:
    return type(exc).__name__, exc.message, exc.path, exc.line, exc.element


def _rebuild_error(payload: tuple):
    name, message, path, line, element = payload
    cls = getattr(exceptions, name, exceptions.IatiError)
    if not (isinstance(cls, type) and issubclass(cls, exceptions.IatiError)):
        cls = exceptions.IatiError
    return cls(message, path=path, line=line, element=element)


class Feed:
    """One file's messages from its reader: the head, then batches of Raw records, then the end or an error."""

    def __init__(self, readers: "Readers", worker: int):
        self.readers, self.worker, self.finished = readers, worker, False

    def _next(self):
        kind, value = self.readers.receive(self.worker)
        if kind in ("end", "error", "crash"):
            self.finished = True
        if kind == "error":
            raise _rebuild_error(value)
        if kind == "crash":
            raise ReaderFailed(value)
        return kind, value

    def head(self):
        """Return the file's FileHead; raise the file's error if it was refused."""
        kind, value = self._next()
        assert kind == "head", kind
        return value

    def batches(self, head):
        """Yield the file's batches of Raw records (read and mapped); raise the file's error where it broke."""
        while not self.finished:
            kind, value = self._next()
            if kind == "batch":
                yield value

    def close(self) -> None:
        """Drop whatever the reader still sends for this file (after an error or an unchanged file)."""
        while not self.finished:
            with contextlib.suppress(IatiError):  # the file's outcome is already decided
                self._next()


class LocalFeed:
    """The same interface as Feed, read in this process (`--jobs 1`)."""

    def __init__(self, inp, batch_size: int):
        self.inp, self.batch_size = inp, batch_size

    def head(self):
        with self.inp.open() as f:
            return peek(f, self.inp.name)

    def batches(self, head):
        with self.inp.open() as f:
            yield from iter_batches(f, self.inp.name, head, self.batch_size)

    def close(self) -> None:
        pass


def settings_module() -> str:
    """Return the settings module the readers load: the one this process started with.

    Under `override_settings` (tests) `settings.SETTINGS_MODULE` is None; the environment still names it.
    """
    return (getattr(settings, "SETTINGS_MODULE", None) or os.environ.get("DJANGO_SETTINGS_MODULE")
            or "pledgewatch.settings")


class Readers:
    """The reader processes and their queues; `submit(inp)` returns the Feed of that file."""

    def __init__(self, n: int, *, batch_size: int, known_countries, language: str, filters: dict | None = None):
        self.n = n
        self.args = (batch_size, sorted(known_countries), language, filters)
        self.workers = []  # started with the first file to read (none for an unchanged corpus)
        self.turn = 0

    def _start(self) -> None:
        batch_size, known, language, filters = self.args
        context = multiprocessing.get_context("spawn")
        for i in range(self.n):
            tasks, results = context.Queue(), context.Queue(QUEUED)
            process = context.Process(
                target=work, name=f"pledgewatch-iati-reader-{i + 1}", daemon=True,
                args=(tasks, results, os.getpid(), settings_module(), language, batch_size, known, filters))
            process.start()
            self.workers.append((process, tasks, results))

    def __len__(self) -> int:
        return self.n

    def submit(self, inp, lazy: bool = False) -> Feed:
        if not self.workers:
            self._start()
        worker = self.turn
        self.turn = (self.turn + 1) % len(self.workers)
        self.workers[worker][1].put((inp, lazy))
        return Feed(self, worker)

    def receive(self, worker: int):
        process, _tasks, results = self.workers[worker]
        while True:
            # unpickling a batch makes thousands of small containers: without the cyclic collector
            # running in the middle of it (it found nothing to free), this is about three times faster
            gc.disable()
            try:
                return results.get(timeout=POLL)
            except queue.Empty:
                if not process.is_alive():
                    raise ReaderFailed(f"{process.name} ended with status {process.exitcode}") from None
            finally:
                gc.enable()

    def close(self) -> None:
        """Stop the readers (at the end, or when the import is interrupted)."""
        for process, tasks, _results in self.workers:
            if process.is_alive():
                with contextlib.suppress(OSError, ValueError):
                    tasks.put(None)
        for process, tasks, results in self.workers:
            process.join(timeout=2 * POLL)
            if process.is_alive():
                process.terminate()
                process.join(timeout=5)
            for q in (tasks, results):
                q.cancel_join_thread()
                q.close()


def work(tasks, results, parent: int, settings_module: str, language: str, batch_size: int, known: list,
         filters: dict | None = None) -> None:
    """Reader process: read and map the files it is given until it gets None or its parent is gone.

    Besides mapping, it does the importer's work that needs no database (`writer.complete`, the filters),
    and sends a slim Activity: the writer needs only its identifier, place, fingerprint, date, warnings and refusals.
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    django.setup()
    # the importer and the writer import the models: only after django.setup()
    from pledgewatch.iati.importer import Filters, wanted  # noqa: PLC0415 (needs django.setup(); imports this module)
    from pledgewatch.iati.writer import complete  # noqa: PLC0415 (needs django.setup(): imports the models)

    translation.activate(language)
    known_countries = frozenset(known)
    filters = Filters(**(filters or {}))  # a dict: unpickling a Filters would import the importer before setup
    scoped = bool(filters.initiative)
    gc.freeze()  # what start-up made stays: the collector then only looks at the batches' objects
    # a reader makes hundreds of thousands of short-lived tuples and dicts per file, freed by their
    # reference counts; collecting every 700 allocations (the default) cost about a tenth of its CPU
    gc.set_threshold(*READER_GC)

    def send(item) -> None:
        while True:
            try:
                results.put(item, timeout=POLL)
                return
            except queue.Full:
                if os.getppid() != parent:
                    os._exit(0)  # not sys.exit: it would wait for the queue's thread to hand over its data

    while True:
        try:
            inp = tasks.get(timeout=POLL)
        except queue.Empty:
            if os.getppid() != parent:
                os._exit(0)
            continue
        if inp is None:
            return
        inp, lazy = inp
        try:
            with inp.open() as f:
                head = peek(f, inp.name)
            send(("head", head))
            seen: set[str] = set()

            def convert(raw, seen=seen, head=head, lazy=lazy):
                activity = plan = None
                if lazy:  # the importing process reads what it needs from the XML
                    return Raw(identifier=raw.identifier, line=raw.line, index=raw.index,
                               fingerprint=raw.fingerprint, xml=etree.tostring(raw.elem),
                               last_updated=raw.last_updated)
                if raw.identifier and raw.identifier not in seen:  # the importer skips the others
                    seen.add(raw.identifier)
                    a = raw.read(head)
                    plan = complete(mapping.plan(a, known_countries), a, head.version, scoped)
                    plan.wanted = wanted(a, filters, known_countries)
                    activity = Activity(identifier=a.identifier, line=a.line, index=a.index, fingerprint=a.fingerprint,
                                        lang=a.lang, last_updated=a.last_updated, warnings=a.warnings,
                                        refusals=a.refusals)
                return Raw(identifier=raw.identifier, line=raw.line, index=raw.index, fingerprint=raw.fingerprint,
                           xml=None, last_updated=raw.last_updated, activity=activity, plan=plan)

            with inp.open() as f:
                for batch in iter_batches(f, inp.name, head, batch_size, convert):
                    send(("batch", batch))
            send(("end", None))
        except IatiError as exc:
            send(("error", _error_payload(exc)))
        except Exception:
            send(("crash", traceback.format_exc()))
