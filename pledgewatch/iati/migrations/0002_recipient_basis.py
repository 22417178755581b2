"""Mark the recipient countries earlier imports inferred (ledger 0009 added CommitmentCountry.basis,
"stated" by default): an activity that stated no recipient-country got its countries from JICA's
other-identifier codes (one country) or from location names."""

import re

from django.db import migrations

JICA_ID = re.compile(r"^JICA([A-Z]{3})-")
JICA_COUNTRIES = {"KAZ": "KZ", "KYR": "KG", "KGZ": "KG", "TAJ": "TJ", "TJK": "TJ", "TRK": "TM", "TKM": "TM",
                  "UZB": "UZ", "ARM": "AM", "AZB": "AZ", "AZE": "AZ", "GRG": "GE", "GEO": "GE", "MNG": "MN",
                  "AFG": "AF", "PAK": "PK"}


def mark(apps, schema_editor):
    IatiActivity = apps.get_model("iati", "IatiActivity")
    CommitmentCountry = apps.get_model("ledger", "CommitmentCountry")
    for ia in IatiActivity.objects.filter(linked=False).only("commitment_id", "data").iterator(chunk_size=2000):
        data = ia.data or {}
        stated = {(c.get("code") or "").strip().upper() for c in data.get("countries") or []}
        rows = list(CommitmentCountry.objects.filter(commitment_id=ia.commitment_id))
        inferred = [r for r in rows if r.country_id not in stated]
        if not inferred or stated & {r.country_id for r in rows}:
            continue
        from_ids = {JICA_COUNTRIES.get(m.group(1)) for o in data.get("other_ids") or []
                    if (m := JICA_ID.match(o.get("ref") or ""))}
        by_id = len(rows) == 1 and rows[0].country_id in from_ids
        CommitmentCountry.objects.filter(pk__in=[r.pk for r in inferred]).update(
            basis="identifier" if by_id else "location")


class Migration(migrations.Migration):

    dependencies = [
        ("iati", "0001_initial"),
        ("ledger", "0009_focus_sectors_recipient_basis"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
