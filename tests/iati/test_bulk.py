"""The bulk write path: history rows with the acting user, ids, one invalidation per file, stored outcomes."""

from decimal import Decimal

import pytest

from pledgewatch.iati.bulk import table
from pledgewatch.ledger.models import Commitment, Transaction
from tests.iati.conftest import activities_file, activity_xml, run_import

pytestmark = pytest.mark.django_db
SLUG = "ca-jad-tokyo-initiative"


def test_created_commitments_have_history_rows_with_the_acting_user(tmp_path, django_user_model):
    from pledgewatch.ledger.audit import acting_as

    user = django_user_model.objects.create_user("importer", password="x")
    path = activities_file(tmp_path / "two.xml", activity_xml("XX-BULK-1"), activity_xml("XX-BULK-2"))
    with acting_as(user=user):
        run_import(path)
    rows = Commitment.history.order_by("iati_identifier")
    assert [(h.iati_identifier, h.history_type, h.history_change_reason, h.history_user_id) for h in rows] == [
        ("XX-BULK-1", "+", "import iati two.xml", user.pk), ("XX-BULK-2", "+", "import iati two.xml", user.pk)]
    c = Commitment.objects.get(iati_identifier="XX-BULK-1")
    assert (rows[0].id, rows[0].amount, rows[0].date, rows[0].title_en) == (c.pk, Decimal("1000"), c.date,
                                                                            "Activity XX-BULK-1")
    assert rows[0].history_date == c.created_at == c.updated_at


def test_history_rows_take_the_reason_of_the_context(tmp_path):
    from pledgewatch.ledger.audit import acting_as

    path = activities_file(tmp_path / "one.xml", activity_xml("XX-BULK-3"))
    with acting_as(reason="cli:analyst import iati one.xml"):
        run_import(path)
    h = Commitment.history.get()
    assert (h.history_change_reason, h.history_user_id) == ("cli:analyst import iati one.xml", None)


def test_ids_are_never_reused_and_transactions_are_remembered(tmp_path):
    run_import(activities_file(tmp_path / "a.xml", activity_xml("XX-ID-1"), activity_xml("XX-ID-2")))
    first = sorted(Commitment.objects.values_list("pk", flat=True))
    tx_first = max(Transaction.objects.values_list("pk", flat=True))
    Commitment.objects.all().delete()
    run_import(activities_file(tmp_path / "b.xml", activity_xml("XX-ID-3")))
    c = Commitment.objects.get()
    assert c.pk > max(first)
    t = c.transactions.get()
    assert t.pk > tx_first
    assert c.iati_activity.transaction_ids == [[t.pk, "2"]]


def test_reserved_ids_follow_the_highest_id():
    from django.db import transaction

    with transaction.atomic():
        Commitment.objects.create(title_en="by hand", instrument="loan")
        top = Commitment.objects.order_by("-pk").values_list("pk", flat=True).first()
        ids = table(Commitment, with_pk=True).reserve(3)
    assert len(ids) == 3 and min(ids) > top and len(set(ids)) == 3


def test_the_ledger_version_moves_once_per_file(tmp_path):
    from pledgewatch.totals.version import current_version

    a = activities_file(tmp_path / "a.xml", *(activity_xml(f"XX-V-{i}", country=c)
                                             for i, c in enumerate(["KZ", "KG", "UZ"])))
    b = activities_file(tmp_path / "b.xml", activity_xml("XX-V-9", amount="5"))
    before = current_version()
    run_import(a, b)
    assert current_version() == before + 2
    newer = activity_xml("XX-V-9", amount="7", attrs='last-updated-datetime="2027-01-01T00:00:00Z"')
    run_import(activities_file(tmp_path / "c.xml", newer))  # an update through save(): still one
    assert current_version() == before + 3


def test_stored_outcomes_follow_a_bulk_import(seeded, tmp_path):
    from pledgewatch.totals.progress import cached_progress, progress

    cached_progress(seeded)  # builds the stored outcomes, which the import must then keep current
    path = activities_file(tmp_path / "scope.xml",
                           activity_xml("XM-DAC-701-8-OUT-1", country="KG", when="2026-03-01", amount="2000000"),
                           activity_xml("XM-DAC-701-8-OUT-2", country="UZ", when="2026-04-01", amount="3000000"))
    summary = run_import(path, initiative=SLUG)
    assert summary["activities"]["new"] == 2
    fresh, cached = progress(seeded), cached_progress(seeded)
    assert cached["counted"] == fresh["counted"]
    assert cached["counts"] == fresh["counts"]
    assert fresh["counts"]["commitments"] >= 2


def test_a_broken_file_after_bulk_writes_leaves_nothing(tmp_path):
    good = "\n".join(activity_xml(f"XX-BR-{i}") for i in range(3))
    path = tmp_path / "broken.xml"
    path.write_text(f'<?xml version="1.0"?>\n<iati-activities version="2.03">\n{good}\n<iati-activity>'
                    "<iati-identifier>XX-BR-9</iati-identifier><title>", encoding="utf-8")
    summary = _import_in_batches(path, 2)  # two batches are written before the XML breaks
    assert summary["files_failed"] == 1
    assert Commitment.objects.count() == 0 and Commitment.history.count() == 0
    assert Transaction.objects.count() == 0
    assert summary["errors"][0]["error"].startswith(
        f"{path}, line 48, element iati-activity[4] (after XX-BR-2): The file is not well-formed XML (")


def _import_in_batches(path, size: int) -> dict:
    from pledgewatch.iati.importer import Importer

    return Importer(batch_size=size).run([str(path)]).as_json()
