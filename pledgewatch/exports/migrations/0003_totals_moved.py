"""The saved totals' models now belong to the totals app (totals 0001): removed from this app's state only.

Their tables (`exports_…`) stay, with their rows: no table is dropped or created.
"""

from django.db import migrations

MODELS = ("CommitmentOutcome", "OutcomeBucket", "OutcomeState", "AggregateCache", "LedgerVersion")


class Migration(migrations.Migration):

    dependencies = [
        ("exports", "0002_outcomes"),
        ("totals", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name=name) for name in MODELS],
        ),
    ]
