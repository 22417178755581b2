"""kill -9 the whole gunicorn server (master and workers) at random moments while clients write through it.

Two clients write over HTTP, as a browser would: a staff member adds organisations in the admin, and
members sign up to the newsletter, confirm and (every second one) unsubscribe. The server is killed
KILLS times at seeded random moments and restarted. A client that got no answer retries the same write
(the organisation's slug and the member's address make the retry idempotent, as for a real client
that resubmits a form). At the end every acknowledged write is in the database exactly once, nothing
is doubled, every organisation has exactly one history row, and the backend's integrity checks pass.
"""

import threading
import time

import pytest
from django.core import signing

from tests.faults.client import TRANSIENT, Client
from tests.faults.procs import SECRET, Db, Server, base_env, cli, drop_database, fresh_database, rng, seed

pytestmark = pytest.mark.slow
ORGS, MEMBERS, KILLS = 20, 10, 3
DEADLINE_S = 150


class ServerDown(Exception):
    """Raised if the answer was a 5xx (a worker died mid-request, or the database was away)."""


class Writer(threading.Thread):
    """Perform writes one after another; retry each until the server acknowledges it."""

    def __init__(self, name: str, base: str, items: list, write):
        super().__init__(name=name, daemon=True)
        self.client = Client(base)
        self.items, self.write = items, write
        self.acked: dict = {}  # item → how it was acknowledged ("created", "found on retry")
        self.retries = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        deadline = time.monotonic() + DEADLINE_S
        try:
            for item in self.items:
                attempt = 0
                while True:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"{self.name}: {item} not acknowledged in {DEADLINE_S} s")
                    try:
                        self.acked[item] = self.write(self.client, item, attempt)
                        break
                    except (ServerDown, *TRANSIENT):
                        self.retries += attempt == 0  # writes that needed at least one retry
                        attempt += 1
                        time.sleep(0.2)
        except BaseException as exc:  # reported by the test
            self.error = exc


def ok(response, status: int = 200):
    if response.status >= 500:
        raise ServerDown(response.status)
    assert response.status == status, (response.status, response.body[:800])
    return response


def add_organisation(client: Client, slug: str, attempt: int) -> str:
    """Add one organisation through the admin's add form; 'found' if an unanswered earlier try saved it."""
    if not client.jar or not any(c.name == "sessionid" for c in client.jar):
        client.login("staff", "staff-password-1")
    page, fields = client.form("/admin/ledger/organisation/add/")
    ok(page)
    response = client.request("/admin/ledger/organisation/add/", {
        **fields, "slug": slug, "name_en": f"Fault organisation {slug}", "name_ja": f"障害テスト {slug}",
        "kind": "other", "_save": "Save"})
    if response.status == 302:
        return "created"
    ok(response)
    assert attempt and "already exists" in response.body, response.body[:2000]
    return "found on retry"


def member_writes(db: Db):
    def write(client: Client, item: tuple[str, str], attempt: int) -> str:
        email, step = item
        if step == "signup":
            page, fields = client.form("/newsletter/")
            ok(page)
            response = ok(client.request("/newsletter/", {**fields, "email": email, "language": "en"}))
            assert "Check your inbox" in response.body, response.body[:2000]
            return "created"
        pk = db.scalar("SELECT id FROM newsletter_member WHERE email = %s", (email,))
        token = signing.dumps([pk, email], key=SECRET, salt=f"newsletter.{step}", compress=False)
        page, fields = client.form(f"/newsletter/{step}/{token}/")
        ok(page)
        response = ok(client.request(f"/newsletter/{step}/{token}/", fields))
        assert ("Subscription confirmed" if step == "confirm" else "Unsubscribed") in response.body
        return "done"
    return write


def test_server_killed_while_clients_write(tmp_path):
    random = rng()
    url = fresh_database(tmp_path, "pw_faults_server")
    env = base_env(tmp_path, url, DJANGO_SETTINGS_MODULE="tests.faults.server_settings",
                   DJANGO_SUPERUSER_PASSWORD="staff-password-1")
    cli(env, "createsuperuser", "--noinput", "--username", "staff", "--email", "staff@example.org", check=True)
    db = Db(url)
    server = Server(env)
    server.start()
    slugs = [f"fault-org-{i:03d}" for i in range(ORGS)]
    emails = [f"fault{j:03d}@example.org" for j in range(MEMBERS)]
    steps = [(e, s) for j, e in enumerate(emails) for s in ("signup", "confirm", *(("unsubscribe",) if j % 2 else ()))]
    writers = [Writer("admin", server.url, slugs, add_organisation),
               Writer("newsletter", server.url, steps, member_writes(db))]
    kills = []
    try:
        for w in writers:
            w.start()
        for _k in range(KILLS):
            acked = [len(w.acked) for w in writers]
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and any(
                    w.is_alive() and len(w.acked) == n for w, n in zip(writers, acked, strict=True)):
                time.sleep(0.02)  # kill while both clients are writing, not before they started again
            time.sleep(random.uniform(0.0, 0.8))
            if not any(w.is_alive() for w in writers):
                break
            kills.append((len(writers[0].acked), len(writers[1].acked)))
            server.kill9()
            time.sleep(random.uniform(0.0, 0.5))
            server.start()
        for w in writers:
            w.join(DEADLINE_S + 30)
    finally:
        server.stop()
    for w in writers:
        assert w.error is None, repr(w.error)
    print(f"seed={seed()} kills={len(kills)} at (orgs, member steps) acknowledged={kills} "
          f"writes retried: admin={writers[0].retries} newsletter={writers[1].retries} "
          f"found on retry={sum(v == 'found on retry' for v in writers[0].acked.values())}")
    assert len(kills) >= 3, kills  # the kills happened while the clients were writing
    # every acknowledged write is there exactly once, nothing doubled
    assert list(writers[0].acked) == slugs
    rows = db.query("SELECT slug, name_en FROM ledger_organisation WHERE slug LIKE 'fault-org-%%' ORDER BY slug")
    assert rows == [(s, f"Fault organisation {s}") for s in slugs]
    history = db.query("SELECT o.slug, h.history_type, COUNT(*) FROM ledger_historicalorganisation h "
                       "JOIN ledger_organisation o ON o.id = h.id WHERE o.slug LIKE 'fault-org-%%' "
                       "GROUP BY o.slug, h.history_type ORDER BY o.slug")
    assert history == [(s, "+", 1) for s in slugs]
    assert db.scalar("SELECT COUNT(*) FROM ledger_historicalorganisation") == db.scalar(
        "SELECT COUNT(*) FROM ledger_organisation")
    members = db.query("SELECT email, confirmed_at IS NOT NULL, unsubscribed_at IS NOT NULL "
                       "FROM newsletter_member ORDER BY email")
    assert [(e, bool(c), bool(u)) for e, c, u in members] == [(e, True, bool(j % 2)) for j, e in enumerate(emails)]
    assert db.integrity() == []
    drop_database(url)
