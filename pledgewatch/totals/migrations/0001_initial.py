"""The saved totals move from the exports app to this one: the models' state only, no table is touched.

The five tables keep their names (`exports_ledgerversion`, `exports_aggregatecache`, `exports_outcomestate`,
`exports_commitmentoutcome`, `exports_outcomebucket`: each model's Meta.db_table) and their rows; exports 0003
removes the same models from the exports app's state. The content types (and so the permissions) of the five
models are renamed to this app, keeping their ids.
"""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("ledgerversion", "aggregatecache", "outcomestate", "commitmentoutcome", "outcomebucket")


def rename_content_types(apps, schema_editor, old="exports", new="totals"):
    """Give the moved models' content types the new app label (a fresh database has none yet)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    taken = set(ContentType.objects.using(db).filter(app_label=new, model__in=MODELS).values_list("model", flat=True))
    ContentType.objects.using(db).filter(app_label=old, model__in=set(MODELS) - taken).update(app_label=new)


def restore_content_types(apps, schema_editor):
    rename_content_types(apps, schema_editor, old="totals", new="exports")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("exports", "0002_outcomes"),
        ("ledger", "0005_list_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AggregateCache',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=200, unique=True)),
                        ('version', models.BigIntegerField()),
                        ('data', models.JSONField()),
                        ('computed_at', models.DateTimeField(auto_now=True)),
                        ('seconds', models.DecimalField(decimal_places=3, default=0, max_digits=10)),
                    ],
                    options={
                        'db_table': 'exports_aggregatecache',
                    },
                ),
                migrations.CreateModel(
                    name='LedgerVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.BigIntegerField(default=0)),
                        ('changed_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'db_table': 'exports_ledgerversion',
                    },
                ),
                migrations.CreateModel(
                    name='OutcomeState',
                    fields=[
                        ('initiative', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='ledger.initiative')),
                        ('fingerprint', models.CharField(blank=True, max_length=64)),
                        ('built_at', models.DateTimeField(auto_now=True)),
                        ('seconds', models.DecimalField(decimal_places=3, default=0, max_digits=10)),
                    ],
                    options={
                        'db_table': 'exports_outcomestate',
                    },
                ),
                migrations.CreateModel(
                    name='CommitmentOutcome',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('commitment_id', models.BigIntegerField()),
                        ('up_to', models.BooleanField(default=False)),
                        ('unconvertible', models.BooleanField(default=False)),
                        ('parts', models.JSONField()),
                        ('initiative', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='ledger.initiative')),
                    ],
                    options={
                        'db_table': 'exports_commitmentoutcome',
                        'indexes': [models.Index(condition=models.Q(('up_to', True)), fields=['initiative', 'commitment_id'], name='outcome_up_to'), models.Index(condition=models.Q(('unconvertible', True)), fields=['initiative', 'commitment_id'], name='outcome_unconvertible')],
                        'constraints': [models.UniqueConstraint(fields=('initiative', 'commitment_id'), name='uniq_outcome')],
                    },
                ),
                migrations.CreateModel(
                    name='OutcomeBucket',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('dimension', models.CharField(max_length=12)),
                        ('key', models.CharField(max_length=64)),
                        ('amount', models.CharField(default='0', max_length=100)),
                        ('count', models.BigIntegerField(default=0)),
                        ('undisclosed', models.BigIntegerField(default=0)),
                        ('nonexact', models.BigIntegerField(default=0)),
                        ('data', models.JSONField(blank=True, null=True)),
                        ('initiative', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='ledger.initiative')),
                    ],
                    options={
                        'db_table': 'exports_outcomebucket',
                        'constraints': [models.UniqueConstraint(fields=('initiative', 'dimension', 'key'), name='uniq_bucket')],
                    },
                ),
            ],
            database_operations=[migrations.RunPython(rename_content_types, restore_content_types)],
        ),
    ]
