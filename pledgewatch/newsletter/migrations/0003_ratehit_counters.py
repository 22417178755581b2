"""RateHit: one row per use → one counter per key (the shared limiter, `accounts.limits`).

The data migration folds each key's rows into one counter: `hits` = its rows, `first_at`/`last_at` = the
earliest and latest use, so a key keeps the uses it had in its window. Reversing spreads a counter back into
`hits` rows (at its first and last use).
"""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import Count, Max, Min


def fold(apps, schema_editor):
    RateHit = apps.get_model("newsletter", "RateHit")
    for group in RateHit.objects.values("key").annotate(n=Count("id"), first=Min("at"), last=Max("at"), keep=Max("id")):
        RateHit.objects.filter(key=group["key"]).exclude(pk=group["keep"]).delete()
        RateHit.objects.filter(pk=group["keep"]).update(hits=group["n"], first_at=group["first"],
                                                        last_at=group["last"])


def spread(apps, schema_editor):
    RateHit = apps.get_model("newsletter", "RateHit")
    for row in list(RateHit.objects.all()):
        RateHit.objects.filter(pk=row.pk).update(at=row.last_at)
        RateHit.objects.bulk_create([RateHit(key=row.key, at=row.first_at, hits=0, first_at=row.first_at,
                                             last_at=row.last_at) for _n in range(max(0, row.hits - 1))])


class Migration(migrations.Migration):

    dependencies = [
        ("newsletter", "0002_claim_order_index"),
    ]

    operations = [
        migrations.AddField(model_name="ratehit", name="hits", field=models.PositiveIntegerField(default=0)),
        migrations.AddField(model_name="ratehit", name="first_at",
                            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
        migrations.AddField(model_name="ratehit", name="last_at",
                            field=models.DateTimeField(default=django.utils.timezone.now)),
        migrations.RunPython(fold, spread),
        migrations.RemoveField(model_name="ratehit", name="at"),
        migrations.AlterField(model_name="ratehit", name="key", field=models.CharField(max_length=300, unique=True)),
    ]
