"""The read-replica router: public reads go to `replica`, writes, the admin and read-your-writes to `default`.

The replica alias is a TEST MIRROR of default (tests/deploy/conftest.py): the same test database through a
second connection, so each test commits (transactional) and counts the queries on each alias.
"""

import csv
import io
import re
import time
from contextlib import contextmanager

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from pledgewatch import dbrouter

# No serialized_rollback: restoring the snapshot clashes with content types that an earlier transactional test's
# flush re-created; the tests load what they need (the seed) themselves.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@contextmanager
def capture():
    """Yield (default, replica) query captures."""
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        yield primary, replica


def tables(captured) -> set[str]:
    """Return the ledger/export table names that the captured queries touched."""
    return {name for query in captured.captured_queries
            for name in re.findall(r"\b((?:ledger|exports)_[a-z0-9_]+)", query["sql"])}


@pytest.fixture
def countries(transactional_db):
    """The ISO countries of data migration 0002 (an earlier transactional test's flush may have removed them)."""
    from pledgewatch.ledger.countries import load_countries
    from pledgewatch.ledger.models import Country

    load_countries(Country)


@pytest.fixture
def ledger(countries, seeded, replica_routing):
    """The CA+JAD seed with the progress aggregate computed once (as `refresh_progress()` does after a load)."""
    from pledgewatch.totals.progress import refresh_progress
    from pledgewatch.totals.version import clear_memo

    refresh_progress(languages=("ja", "en"))
    clear_memo()
    return seeded


PUBLIC = ["/", "/?lang=en", "/commitments/?country=UZ&instrument=loan", "/commitments/{commitment}/", "/countries/KG/",
          "/documents/{document}/", "/organisations/jica/", "/api/v1/initiatives/ca-jad-tokyo-initiative/progress",
          "/api/v1/commitments?country=KG", "/api/v1/commitments/{commitment}", "/feeds/commitments.atom?country=UZ",
          "/commitments.json?country=KZ"]


def test_public_reads_use_the_replica(client, ledger):
    from pledgewatch.ledger.models import Commitment, Document
    from pledgewatch.totals import outcomes
    from pledgewatch.totals.models import AggregateCache
    from pledgewatch.totals.version import clear_memo

    # a public request that fills the shared cache and rebuilds the stale counting outcomes: the version is
    # read from the replica; the rebuild (inside transaction.atomic()) reads the commitments from the primary
    # and stores outcomes and progress there; the client is not pinned (derived data is not its write)
    AggregateCache.objects.all().delete()
    outcomes.mark_stale()
    clear_memo()
    with capture() as (primary, replica):
        response = client.get("/api/v1/initiatives/ca-jad-tokyo-initiative/progress")
    assert response.status_code == 200
    assert {"exports_aggregatecache", "exports_commitmentoutcome", "exports_outcomebucket",
            "ledger_commitment"} <= tables(primary)
    assert "exports_ledgerversion" in tables(replica)
    assert dbrouter.PIN_COOKIE not in response.cookies

    ids = {"commitment": Commitment.objects.order_by("pk").first().pk,
           "document": Document.objects.order_by("pk").first().pk}
    for path in PUBLIC:
        client.get(path.format(**ids))  # the first request may fill the shared aggregate cache (a write)
        with capture() as (primary, replica):
            response = client.get(path.format(**ids))
        assert response.status_code == 200, path
        assert len(replica) > 0, path
        assert tables(primary) == set(), (path, [q["sql"] for q in primary.captured_queries])
        assert dbrouter.PIN_COOKIE not in response.cookies

    # a streamed export: the lookups made while streaming come from the replica (the route holds inside
    # the generator); the row cursor itself is exports/rows.py's `django.db.connection`, the primary
    with capture() as (primary, replica):
        response = client.get("/exports/commitments.csv?country=UZ&lang=en")
        body = b"".join(response.streaming_content)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) - 1 == Commitment.objects.filter(recipients__country_id="UZ").distinct().count() > 0
    assert {"ledger_country", "ledger_organisation"} <= tables(replica)

    # an expired, a far-future (forged) and a malformed pin are ignored
    for value in (str(int(time.time()) - 1), str(int(time.time()) + 3600), "soon"):
        client.cookies[dbrouter.PIN_COOKIE] = value
        with capture() as (primary, replica):
            assert client.get("/commitments/").status_code == 200
        assert len(replica) > 0 and tables(primary) == set(), value


def test_admin_reads_and_writes_use_the_primary_and_pin_the_client(client, ledger, django_user_model):
    from pledgewatch.ledger.models import Document

    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-secret-1")
    client.force_login(admin)
    document = Document.objects.order_by("pk").last()
    with capture() as (primary, replica):
        page = client.get(f"/admin/ledger/document/{document.pk}/change/")
        deleted = client.post(f"/admin/ledger/document/{document.pk}/delete/", {"post": "yes"})
    assert page.status_code == 200 and deleted.status_code == 302
    assert len(replica) == 0
    assert "ledger_document" in tables(primary)
    assert not Document.objects.filter(pk=document.pk).exists()
    cookie = deleted.cookies[dbrouter.PIN_COOKIE]
    assert cookie["max-age"] == 5 and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert 0 < int(cookie.value) - time.time() <= 5

    # read-your-writes: the next public page comes from the primary while the pin holds
    with capture() as (primary, replica):
        response = client.get("/documents/")
    assert response.status_code == 200
    assert len(replica) == 0 and "ledger_document" in tables(primary)

    # the review queue and the newsletter pages always use the primary
    client.cookies.pop(dbrouter.PIN_COOKIE)
    with capture() as (primary, replica):
        assert client.get("/review/").status_code == 200
        assert client.get("/newsletter/").status_code == 200
    assert len(replica) == 0 and len(primary) > 0


@pytest.mark.django_db
def test_reads_outside_a_request_and_inside_a_transaction_use_the_primary(replica_routing):
    from pledgewatch.ledger.models import Commitment

    router = dbrouter.ReplicaRouter()
    assert router.db_for_read(Commitment) == "default"  # CLI, worker: no request
    route = dbrouter.RequestRoute(replica=True, atomic_depth=len(connections["default"].atomic_blocks))
    token = dbrouter._route.set(route)
    try:
        assert router.db_for_read(Commitment) == "replica"
        from django.contrib.auth.models import User
        from django.contrib.sessions.models import Session

        assert router.db_for_read(Session) == router.db_for_read(User) == "default"
        with transaction.atomic():
            assert router.db_for_read(Commitment) == "default"
        assert router.db_for_read(Commitment) == "replica"
        assert router.db_for_write(Commitment) == "default"
        assert route.wrote and route.pin
        assert router.db_for_read(Commitment) == "default"
    finally:
        dbrouter._route.reset(token)


@pytest.mark.django_db
def test_migrations_only_on_the_primary():
    router = dbrouter.ReplicaRouter()
    assert router.allow_migrate("default", "ledger") is True
    assert router.allow_migrate("replica", "ledger") is False

