"""The saved totals: the ledger's version, figures cached per version, and each commitment's counting outcome.

The tables keep the names they had when these models lived in the exports app (`exports_…`): moving the models
changed no table (migrations totals 0001 and exports 0003 only move the models' state).
"""

from django.db import models


class LedgerVersion(models.Model):
    """One row whose `version` is bumped by every write to the ledger; caches are keyed by it."""

    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "exports_ledgerversion"

    def __str__(self) -> str:
        return f"v{self.version}"


class AggregateCache(models.Model):
    """A computed aggregate (e.g. an initiative's progress) valid for one ledger version."""

    key = models.CharField(max_length=200, unique=True)
    version = models.BigIntegerField()
    data = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)
    seconds = models.DecimalField(max_digits=10, decimal_places=3, default=0)

    class Meta:
        db_table = "exports_aggregatecache"

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"


class OutcomeState(models.Model):
    """Whether an initiative's stored counting outcomes are valid: `fingerprint` of the rules they were built
    under ("" = stale: rebuilt on the next read; see pledgewatch.totals.outcomes)."""

    initiative = models.OneToOneField("ledger.Initiative", models.CASCADE, primary_key=True, related_name="+")
    fingerprint = models.CharField(max_length=64, blank=True)
    built_at = models.DateTimeField(auto_now=True)
    seconds = models.DecimalField(max_digits=10, decimal_places=3, default=0)

    class Meta:
        db_table = "exports_outcomestate"

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.fingerprint[:8] or 'stale'}"


class CommitmentOutcome(models.Model):
    """What one in-scope commitment adds to an initiative's figures: its `parts`, [dimension, key, amount, flags].

    No foreign key to the commitment: a deleted commitment's parts must still be read to subtract them.
    """

    initiative = models.ForeignKey("ledger.Initiative", models.CASCADE, related_name="+", db_index=False)
    commitment_id = models.BigIntegerField()
    up_to = models.BooleanField(default=False)  # counted, amount "up to": listed in progress["up_to"]
    unconvertible = models.BooleanField(default=False)  # counted, no rate: listed in progress["unconvertible"]
    parts = models.JSONField()

    class Meta:
        db_table = "exports_commitmentoutcome"
        constraints = [models.UniqueConstraint(fields=["initiative", "commitment_id"], name="uniq_outcome")]
        indexes = [
            models.Index(fields=["initiative", "commitment_id"], condition=models.Q(up_to=True),
                         name="outcome_up_to"),
            models.Index(fields=["initiative", "commitment_id"], condition=models.Q(unconvertible=True),
                         name="outcome_unconvertible"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}:{self.commitment_id}"


class OutcomeBucket(models.Model):
    """A running total of an initiative's figures: counted money (exact Decimal, as text), counts and flags
    for one key of one dimension (pillar, country, stage, day, rate…)."""

    initiative = models.ForeignKey("ledger.Initiative", models.CASCADE, related_name="+", db_index=False)
    dimension = models.CharField(max_length=12)
    key = models.CharField(max_length=64)
    amount = models.CharField(max_length=100, default="0")  # exact Decimal: SQLite has no exact numeric type
    count = models.BigIntegerField(default=0)
    undisclosed = models.BigIntegerField(default=0)  # parts without money (undisclosed or unconvertible)
    nonexact = models.BigIntegerField(default=0)  # parts with money whose qualifier is not "exact"
    data = models.JSONField(null=True, blank=True)  # the rate, for dimension "rate"

    class Meta:
        db_table = "exports_outcomebucket"
        constraints = [models.UniqueConstraint(fields=["initiative", "dimension", "key"], name="uniq_bucket")]

    def __str__(self) -> str:
        return f"{self.initiative_id}:{self.dimension}:{self.key}"
