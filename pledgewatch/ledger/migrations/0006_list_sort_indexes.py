"""Indexes for filtered, date-sorted commitment lists: (instrument, date, id) and (stage, date, id).

A page of `/commitments/?instrument=loan` (newest first) then reads 25 index entries instead of sorting
every loan. Plain SQL (both SQLite and PostgreSQL accept it), so that the model state is unchanged.
"""

from django.db import migrations

INDEXES = {
    "commitment_instrument_date_id": "instrument, date, id",
    "commitment_stage_date_id": "stage, date, id",
}


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0005_list_indexes"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON ledger_commitment ({columns})",
                          reverse_sql=f"DROP INDEX IF EXISTS {name}")
        for name, columns in INDEXES.items()
    ]
