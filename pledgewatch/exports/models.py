"""Pre-computed aggregates (see pledgewatch.ledger.aggregates): a ledger version and cached progress."""

from django.db import models


class LedgerVersion(models.Model):
    """One row whose `version` is bumped by every write to the ledger; caches are keyed by it."""

    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"v{self.version}"


class AggregateCache(models.Model):
    """A computed aggregate (e.g. an initiative's progress) valid for one ledger version."""

    key = models.CharField(max_length=200, unique=True)
    version = models.BigIntegerField()
    data = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)
    seconds = models.DecimalField(max_digits=10, decimal_places=3, default=0)

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"
