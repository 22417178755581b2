"""The ledger's saved totals: a version bumped by every write, figures cached per version, and each
commitment's stored counting outcome with running totals per key (see docs/architecture.md)."""
