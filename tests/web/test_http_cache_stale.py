"""While one request renders a page's new version, the others get its last complete version at once (no validator,
`no-cache`) instead of waiting; a request that renders always renders the version it read. And on a SQLite file the
version is read again only when the database files changed (pledgewatch/web/caching.py)."""

import threading
from pathlib import Path

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from pledgewatch.totals import version as totals_version
from pledgewatch.web import caching

pytestmark = pytest.mark.django_db
PATH = "/commitments/?country=UZ"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


class Ledger:
    """A ledger version the test moves by hand, and a view that shows it (optionally blocking until released)."""

    def __init__(self, monkeypatch):
        self.version = 41
        self.rendered: list[int] = []
        self.hold = threading.Event()
        self.hold.set()
        monkeypatch.setattr(caching, "ledger_state", lambda commitment=None: (self.version, 1_700_000_000, None))

    def view(self, request):
        version = self.version
        self.rendered.append(version)
        self.hold.wait(10)
        return HttpResponse(f"figures of version {version}")


def ask(middleware, path: str = PATH):
    return middleware(RequestFactory().get(path))


def test_readers_get_the_last_complete_page_while_the_new_one_renders(seeded, monkeypatch):
    ledger = Ledger(monkeypatch)
    middleware = caching.HttpCacheMiddleware(ledger.view)
    first = ask(middleware)
    assert first.content == b"figures of version 41" and ledger.rendered == [41]
    ledger.version, ledger.hold = 42, threading.Event()
    out: list = []
    renderer = threading.Thread(target=lambda: out.append(ask(middleware)))
    renderer.start()
    while ledger.rendered != [41, 42]:
        threading.Event().wait(0.01)
    during = [ask(middleware) for _ in range(3)]  # the renderer is inside the view
    assert [r.content for r in during] == [b"figures of version 41"] * 3
    assert {r["Cache-Control"] for r in during} == {"no-cache"}
    assert not any(r.has_header("ETag") or r.has_header("Last-Modified") for r in during)
    assert ledger.rendered == [41, 42]  # nobody else rendered
    ledger.hold.set()
    renderer.join(10)
    assert out[0].content == b"figures of version 42" and out[0]["ETag"] != first["ETag"]
    after = ask(middleware)
    assert (after.content, after["ETag"]) == (b"figures of version 42", out[0]["ETag"])
    assert after["Cache-Control"].startswith("public, ") and ledger.rendered == [41, 42]
    assert not caching._flights


def test_a_request_after_a_write_renders_the_new_version_itself(seeded, monkeypatch):
    """With no render in flight, the next request renders (a writer reading its own change never gets the old page)."""
    ledger = Ledger(monkeypatch)
    middleware = caching.HttpCacheMiddleware(ledger.view)
    ask(middleware)
    ledger.version = 42
    assert ask(middleware).content == b"figures of version 42" and ledger.rendered == [41, 42]


def test_another_process_rendering_means_the_old_page_or_a_render_of_ones_own(seeded, monkeypatch):
    """The render lock is a cache key (shared by processes through Redis): held elsewhere, this process serves the
    last complete page when it has one, and renders the page itself when it has none."""
    ledger = Ledger(monkeypatch)
    middleware = caching.HttpCacheMiddleware(ledger.view)
    ask(middleware)
    ledger.version = 42
    request = RequestFactory().get(PATH)
    key = caching.Validators(request).key
    other_path = "/commitments/?country=KG"
    other_key = caching.Validators(RequestFactory().get(other_path)).key
    for held in (key, other_key):
        cache.add(caching.LOCK + held[len(caching.PREFIX):], 1, 30)
    stale = ask(middleware)
    assert (stale.content, stale["Cache-Control"]) == (b"figures of version 41", "no-cache")
    assert ledger.rendered == [41]
    fresh = ask(middleware, other_path)  # never stored at any version: rendered here
    assert fresh.content == b"figures of version 42" and ledger.rendered == [41, 42]
    assert cache.get(caching.LOCK + other_key[len(caching.PREFIX):]) == 1  # the other process's lock is left alone


def test_the_newest_page_pointer_never_moves_back(seeded, monkeypatch):
    ledger = Ledger(monkeypatch)
    middleware = caching.HttpCacheMiddleware(ledger.view)
    ledger.version = 42
    newer = caching.Validators(RequestFactory().get(PATH))
    ask(middleware)
    ledger.version = 41  # a slow render of an older version lands after the newer one
    ask(middleware)
    order, key = cache.get(newer.latest)
    assert (tuple(order), key) == ((42, 0.0), newer.key)
    ledger.version = 43  # the next write: readers during its render get version 42, not 41
    ledger.hold = threading.Event()
    renderer = threading.Thread(target=lambda: ask(middleware))
    renderer.start()
    while ledger.rendered[-1:] != [43]:
        threading.Event().wait(0.01)
    assert ask(middleware).content == b"figures of version 42"
    ledger.hold.set()
    renderer.join(10)


def test_sqlite_state_is_read_again_only_when_the_files_change(tmp_path, monkeypatch):
    database = tmp_path / "db.sqlite3"
    database.write_bytes(b"x")
    wal = Path(f"{database}-wal")
    reads: list[int] = []

    def read(conn, commitment):
        reads.append(commitment)
        return len(reads), 1_700_000_000, None

    monkeypatch.setattr(caching, "_sqlite_files", lambda conn: (str(database), str(wal)))
    monkeypatch.setattr(caching, "_read_state", read)
    caching._states.clear()
    assert caching.ledger_state() == caching.ledger_state() == (1, 1_700_000_000, None)
    assert caching.ledger_state(7)[0] == 2 and caching.ledger_state(7)[0] == 2  # one memo per commitment
    wal.write_bytes(b"frame")  # another process committed
    assert caching.ledger_state()[0] == 3 and caching.ledger_state()[0] == 3
    totals_version._count_local_bump()  # this process bumped the version
    assert caching.ledger_state()[0] == 4
    monkeypatch.setattr(caching, "STATE_MAX_AGE", 0.0)  # trusted only so long
    assert caching.ledger_state()[0] == 5
    assert reads == [None, 7, None, None, None]
    caching._states.clear()


def test_a_page_beyond_the_render_slots_is_answered_with_its_last_version(seeded, monkeypatch):
    """With every render slot of the process taken (here 1), a page that has a last complete version is answered
    with it at once instead of being rendered too; once a slot is free, the next request renders it."""
    ledger = Ledger(monkeypatch)
    monkeypatch.setattr(caching, "_render_slots", threading.BoundedSemaphore(1))
    middleware = caching.HttpCacheMiddleware(ledger.view)
    other = "/commitments/?country=KG"
    ask(middleware), ask(middleware, other)
    ledger.version, ledger.hold = 42, threading.Event()
    renderer = threading.Thread(target=lambda: ask(middleware))
    renderer.start()
    while ledger.rendered[-1:] != [42]:
        threading.Event().wait(0.01)
    waiting = ask(middleware, other)
    assert (waiting.content, waiting["Cache-Control"]) == (b"figures of version 41", "no-cache")
    assert ledger.rendered == [41, 41, 42]
    ledger.hold.set()
    renderer.join(10)
    fresh = ask(middleware, other)
    assert fresh.content == b"figures of version 42" and ledger.rendered == [41, 41, 42, 42]


def test_with_a_memory_cache_per_process_no_old_page_is_served(seeded, monkeypatch, settings):
    """Several server processes, each with its own memory cache: a reader whose connection moves to another
    process could be shown an older page than before, so requests during a render wait for it instead."""
    settings.SERVER_PROCESSES = 2
    ledger = Ledger(monkeypatch)
    middleware = caching.HttpCacheMiddleware(ledger.view)
    ask(middleware)
    ledger.version, ledger.hold = 42, threading.Event()
    out: list = []
    threads = [threading.Thread(target=lambda: out.append(ask(middleware))) for _ in range(3)]
    threads[0].start()
    while ledger.rendered[-1:] != [42]:
        threading.Event().wait(0.01)
    for t in threads[1:]:
        t.start()
    threading.Event().wait(0.2)  # the two others wait for the render
    assert out == []
    ledger.hold.set()
    for t in threads:
        t.join(10)
    assert [r.content for r in out] == [b"figures of version 42"] * 3 and ledger.rendered == [41, 42]


def test_near_pages_keep_the_most_recently_used_within_their_bytes():
    near = caching.NearPages(100)
    near.put("a", ([], b"x" * 20), 20)
    near.put("b", ([], b"y" * 20), 20)
    assert near.get("a") == ([], b"x" * 20)  # a is now the most recently used
    near.put("c", ([], b"z" * 25), 25)
    near.put("d", ([], b"w" * 25), 25)
    near.put("e", ([], b"v" * 25), 25)  # 115 bytes: the least recently used (b) goes
    assert near.get("b") is None and near.get("a") is not None and near.size == 95
    near.put("big", ([], b"q" * 26), 26)  # over a quarter of the limit: never kept
    assert near.get("big") is None
    assert caching.NearPages(0).get("a") is None


def test_a_process_keeps_its_own_copy_of_pages_from_a_shared_cache(seeded, monkeypatch, settings):
    """With Redis, a page this process served once is served again from its own memory (no round trip)."""
    ledger = Ledger(monkeypatch)
    shared: dict = {}

    class Shared:  # a cache outside the process, as Django's RedisCache is used here
        def get(self, key):
            return shared.get(key)

        def set(self, key, value, timeout=None):
            shared[key] = value

        def add(self, key, value, timeout=None):
            return shared.setdefault(key, value) is value

        def delete(self, key):
            shared.pop(key, None)

    monkeypatch.setattr(caching, "caches", {"default": Shared()})
    writer, reader = caching.HttpCacheMiddleware(ledger.view), caching.HttpCacheMiddleware(ledger.view)
    assert ask(writer).content == b"figures of version 41"
    key = caching.Validators(RequestFactory().get(PATH)).key
    assert ask(reader).content == b"figures of version 41" and ledger.rendered == [41]  # from the shared cache
    shared.pop(key)  # gone from the shared cache (expired): the reader still has its copy
    assert ask(reader).content == b"figures of version 41" and ledger.rendered == [41]
