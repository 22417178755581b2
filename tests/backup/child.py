"""Run pledgewatch commands against the database DATABASE_URL names, in a process of its own.

    python tests/backup/child.py restore FILE | restore-force FILE | backup FILE | figures | sequence …

Prints one JSON object: the API figures and the id a new record gets after the restore.
"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledgewatch.settings")


def figures() -> dict:
    from django.test import Client

    client = Client()
    slug = "ca-jad-tokyo-initiative"
    listing = client.get(f"/api/v1/commitments?initiative={slug}").json()
    detail = client.get(f"/api/v1/commitments/{listing['results'][0]['id']}")
    return {"progress": client.get(f"/api/v1/initiatives/{slug}/progress").json(), "commitments": listing,
            "commitment": (detail.status_code, detail.json())}


def sequence() -> dict:
    from pledgewatch.ledger.models import Organisation

    highest = Organisation.objects.order_by("-pk").values_list("pk", flat=True).first()
    new = Organisation.objects.create(slug="after-restore", name_en="After restore")
    return {"max": highest, "new": new.pk}


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from pledgewatch.cli import main as cli

    out: dict = {}
    while argv:
        step = argv.pop(0)
        if step in {"restore", "backup"}:
            rc = cli([step, argv.pop(0)])
        elif step == "restore-force":
            rc = cli(["restore", argv.pop(0), "--force"])
        elif step == "figures":
            out["figures"], rc = figures(), 0
        else:
            out["sequence"], rc = sequence(), 0
        if rc:
            return rc
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
