from django.db import migrations


def forwards(apps, schema_editor):
    from pledgewatch.ledger.countries import load_countries

    load_countries(apps.get_model("ledger", "Country"))


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
