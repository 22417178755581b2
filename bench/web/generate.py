"""Generate a synthetic ledger of N commitments with transactions, fast, into the DATABASE_URL database.

Usage: DATABASE_URL=... .venv/bin/python bench/web/generate.py --size 100000

The CA+JAD seed gives the initiative, pillars, focus areas and organisations; the generated commitments
spread over the five Central Asian countries (some shared between several, with shares), the pillars and
focus areas, instruments, stages, public/private, years 2012–2025 and currencies (JPY, USD, EUR, some
KZT that the ECB rates cannot convert), with 0–4 transactions each. Rows go in with COPY (PostgreSQL) or
executemany (SQLite) in batches of 20,000 commitments, with no per-row signals; the ledger version is bumped
once at the end, and the stored outcomes and progress are computed once (`refresh_progress`).
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgewatch.settings")

BATCH = 20_000
COUNTRIES = (("UZ", 35), ("KZ", 25), ("KG", 15), ("TJ", 15), ("TM", 10))
INSTRUMENTS = (("loan", 25), ("grant", 35), ("technical_cooperation", 20), ("investment", 15),
               ("guarantee", 3), ("other", 2))
STAGES = (("announced", 20), ("signed", 30), ("committed", 20), ("disbursing", 15), ("completed", 10),
          ("cancelled", 5))
CURRENCIES = (("JPY", 60), ("USD", 25), ("EUR", 10), ("KZT", 5))
QUALIFIERS = (("exact", 60), ("approx", 25), ("up_to", 8), ("at_least", 2), ("undisclosed", 5))
PER_JPY = {"JPY": Decimal(1), "USD": Decimal("0.0067"), "EUR": Decimal("0.0062"), "KZT": Decimal("3.3")}
START, DAYS = date(2012, 1, 1), (date(2025, 11, 30) - date(2012, 1, 1)).days


def weighted(rng: random.Random, table):
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


def _insert(cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Insert rows in one statement per batch: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    if cursor.db.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # fixed names
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 (fixed names)
    cursor.executemany(sql, rows)


def generate(size: int, seed: int = 20251220) -> dict:
    """Insert `size` commitments (plus links and transactions); return counts and seconds."""
    import django

    django.setup()
    from django.db import connection, transaction

    from pledgewatch.ledger.models import Commitment, Initiative, Organisation, Transaction
    from pledgewatch.ledger.seed import load_seed
    from pledgewatch.totals.version import bump_version

    load_seed()
    rng = random.Random(seed)
    initiative = Initiative.objects.get(slug="ca-jad-tokyo-initiative")
    pillars = [(p.pk, [f.pk for f in p.focus_areas.all()]) for p in initiative.pillars.all()]
    providers = list(Organisation.objects.filter(slug__in=["gov-jp", "jica"]).values_list("pk", flat=True))
    next_id = (Commitment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    now = datetime.now(UTC)
    t_cols = ["commitment_id", "kind", "date", "value_date", "amount", "currency", "qualifier", "description"]
    c_cols = ["id", "title_ja", "title_en", "title_ru", "description_ja", "description_en", "description_ru",
              "pillar_id", "classification_reason", "instrument", "sector", "dac_sector", "provider_id",
              "channel_id", "amount", "currency", "qualifier", "date", "stage", "stage_date", "event_id",
              "iati_identifier", "ref", "record_key", "created_at", "updated_at"]
    counts = {"commitments": 0, "recipients": 0, "focus_areas": 0, "transactions": 0}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for offset in range(0, size, BATCH):
            rows, links, recipients, focus, txs = [], [], [], [], []
            for pk in range(next_id + offset, next_id + min(offset + BATCH, size)):
                pillar = rng.choice(pillars) if rng.random() < 0.9 else (None, [])
                currency = weighted(rng, CURRENCIES)
                qualifier = weighted(rng, QUALIFIERS)
                jpy = Decimal(int(10 ** rng.uniform(6, 11)))
                amount = None if qualifier == "undisclosed" else (jpy * PER_JPY[currency]).quantize(Decimal(1))
                day = START + timedelta(days=rng.randrange(DAYS))
                stage = weighted(rng, STAGES)
                rows.append((pk, f"案件{pk}", f"Project {pk}", "", "", "", "", pillar[0], "",
                             weighted(rng, INSTRUMENTS), "private" if rng.random() < 0.2 else "public", "",
                             rng.choice(providers), None, amount, currency if amount is not None else "",
                             qualifier, day, stage, day, None, None, f"bench-{pk}", "", now, now))
                links.append((pk, initiative.pk))
                if rng.random() < 0.1:
                    codes = rng.sample([c for c, _w in COUNTRIES], rng.randint(2, 5))
                    recipients += [(pk, code, Decimal(100) / len(codes), "stated") for code in codes]
                else:
                    recipients.append((pk, weighted(rng, COUNTRIES), None, "stated"))
                if pillar[1] and rng.random() < 0.9:
                    focus.append((pk, rng.choice(pillar[1])))
                if amount is not None and stage != "announced":
                    for n in range(rng.randint(0, 4)):
                        kind = "commitment" if n == 0 else "disbursement"
                        part = amount if n == 0 else (amount / 4).quantize(Decimal(1))
                        txs.append((pk, kind, day + timedelta(days=90 * n), None, part, currency, "exact", ""))
            _insert(cursor, Commitment._meta.db_table, c_cols, rows)
            _insert(cursor, Commitment.initiatives.through._meta.db_table, ["commitment_id", "initiative_id"], links)
            _insert(cursor, "ledger_commitmentcountry", ["commitment_id", "country_id", "share", "basis"], recipients)
            _insert(cursor, Commitment.focus_areas.through._meta.db_table, ["commitment_id", "focusarea_id"], focus)
            _insert(cursor, Transaction._meta.db_table, t_cols, txs)
            counts["commitments"] += len(rows)
            counts["recipients"] += len(recipients)
            counts["focus_areas"] += len(focus)
            counts["transactions"] += len(txs)
        from django.core.management.color import no_style

        for sql in connection.ops.sequence_reset_sql(no_style(), [Commitment, Transaction]):
            cursor.execute(sql)
        bump_version()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    counts["seconds"] = round(time.perf_counter() - started, 1)
    from pledgewatch.totals.progress import refresh_progress

    started = time.perf_counter()
    refresh_progress(languages=("en",))  # pre-compute the aggregates once, as a deployment does after a bulk load
    counts["progress_seconds"] = round(time.perf_counter() - started, 1)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    args = parser.parse_args()
    print(json.dumps(generate(args.size)))


if __name__ == "__main__":
    main()
