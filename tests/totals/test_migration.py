"""Moving the saved totals from the exports app to the totals app keeps their tables and rows.

The database is migrated back to where the models belonged to the exports app, rows are written through the
old state's models, and the database is migrated forward again: the same rows read through the new models.
"""

from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pledgewatch.ledger.countries import load_countries
from pledgewatch.ledger.models import Country, Initiative
from pledgewatch.ledger.seed import load_seed
from pledgewatch.totals.models import AggregateCache, CommitmentOutcome, LedgerVersion, OutcomeBucket, OutcomeState
from pledgewatch.totals.progress import cached_progress, progress

BEFORE = [("exports", "0002_outcomes"), ("totals", None)]
TABLES = {"exports_ledgerversion", "exports_aggregatecache", "exports_outcomestate", "exports_commitmentoutcome",
          "exports_outcomebucket"}


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def test_rows_written_before_the_move_are_read_after_it(transactional_db):
    load_countries(Country)  # a transactional test before this one may have flushed the migrated countries
    load_seed()
    initiative_id = progress_initiative_id()
    expected = progress_initiative()
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    for table in TABLES:  # what the old version kept: none of it is derived again below
        connection.cursor().execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
    ContentType.objects.filter(app_label="totals").delete()
    ContentType.objects.create(app_label="exports", model="ledgerversion")

    old = migrate(BEFORE).loader.project_state(BEFORE[:1]).apps
    assert set(connection.introspection.table_names()) >= TABLES
    assert not any(m._meta.app_label == "totals" for m in old.get_models())
    old.get_model("exports", "LedgerVersion").objects.create(pk=1, version=41)
    old.get_model("exports", "AggregateCache").objects.create(key="chart:test", version=41, data={"a": [1, 2]},
                                                              seconds=Decimal("0.125"))
    old.get_model("exports", "OutcomeState").objects.create(initiative_id=initiative_id, fingerprint="f" * 64)
    old.get_model("exports", "CommitmentOutcome").objects.create(
        initiative_id=initiative_id, commitment_id=7, up_to=True, parts=[["n", "commitments", None, 0]])
    old.get_model("exports", "OutcomeBucket").objects.create(
        initiative_id=initiative_id, dimension="stage", key="signed", amount="21368000000.5", count=3, nonexact=1)
    ledger_type = ContentType.objects.get(app_label="exports", model="ledgerversion").pk

    migrate(latest)
    assert set(connection.introspection.table_names()) >= TABLES
    assert LedgerVersion.objects.get(pk=1).version == 41
    cache = AggregateCache.objects.get(key="chart:test")
    assert (cache.version, cache.data, cache.seconds) == (41, {"a": [1, 2]}, Decimal("0.125"))
    assert OutcomeState.objects.get(initiative_id=initiative_id).fingerprint == "f" * 64
    outcome = CommitmentOutcome.objects.get(initiative_id=initiative_id)
    assert (outcome.commitment_id, outcome.up_to, outcome.unconvertible, outcome.parts) == (
        7, True, False, [["n", "commitments", None, 0]])
    bucket = OutcomeBucket.objects.get(initiative_id=initiative_id)
    assert (bucket.dimension, bucket.key, bucket.amount, bucket.count, bucket.undisclosed, bucket.nonexact) == (
        "stage", "signed", "21368000000.5", 3, 0, 1)
    assert ContentType.objects.get(app_label="totals", model="ledgerversion").pk == ledger_type  # same id
    assert not ContentType.objects.filter(app_label="exports").exists()

    # the stored outcome written above is not this initiative's: a stale state makes the next read rebuild
    OutcomeState.objects.update(fingerprint="")
    assert cached_progress(initiative(), date(2026, 11, 28))["counted"] == expected["counted"]


def initiative() -> Initiative:
    return Initiative.objects.get(slug="ca-jad-tokyo-initiative")


def progress_initiative_id() -> int:
    return initiative().pk


def progress_initiative() -> dict:
    return progress(initiative(), date(2026, 11, 28))
