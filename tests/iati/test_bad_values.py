"""Bad numbers: refused or warned about on import; stored ones never make a page, the API or an export fail."""

import json
from decimal import Decimal

import pytest
from django.db import connection

from pledgewatch.iati.values import LIMIT, plausible_limit
from pledgewatch.ledger.models import Commitment, Transaction
from tests.conftest import on_postgres
from tests.iati.conftest import HOSTILE

pytestmark = pytest.mark.django_db
BAD = HOSTILE / "bad-values.xml"


def test_plausible_limits_per_currency():
    assert plausible_limit("JPY") == Decimal(10) ** 15
    assert plausible_limit("USD") == plausible_limit("EUR") == Decimal(10) ** 13
    assert plausible_limit("UZS") == Decimal(10) ** 17
    assert plausible_limit("XYZ") == Decimal(10) ** 15
    assert Decimal(10) ** 20 == LIMIT


@pytest.mark.parametrize("jobs", [1, 2])
def test_bad_values_are_refused_with_file_line_and_element_or_warned_about(jobs):
    from pledgewatch.iati.importer import Filters, Importer

    summary = Importer(Filters(), jobs=jobs).run([str(BAD)]).as_json()
    assert summary["errors"] == []
    assert summary["activities"] == {"new": 3, "updated": 0, "unchanged": 0, "skipped": 5, "linked": 0,
                                     "review": 0}
    assert summary["warnings"] == {"implausible_value": 4, "refused_value": 5}
    assert summary["warning_samples"]["refused_value"] == [
        f"{BAD}:11: XX-BAD-1: transaction[1]/value at line 11: -5e400 JPY is beyond what the ledger holds "
        "(less than 10^20 in absolute value); the activity is not imported",
        f"{BAD}:21: XX-BAD-2: transaction[1]/value at line 21: 1000000000000000000000 JPY is beyond what the "
        "ledger holds (less than 10^20 in absolute value); the activity is not imported",
        f"{BAD}:32: XX-BAD-3: transaction[2]/value at line 32: “NaN” is not a finite number; the activity is "
        "not imported",
        f"{BAD}:52: XX-BAD-5: budget[1]/value at line 52: “Infinity” is not a finite number; the activity is "
        "not imported",
        f"{BAD}:64: XX-BAD-7: iati-activity (sum of its commitments) at line 64: 120000000000000000000 is beyond "
        "what the ledger holds (less than 10^20 in absolute value); the activity is not imported"]
    assert summary["warning_samples"]["implausible_value"][0] == (
        f"{BAD}:34: transaction[1]/value at line 42: 10000000000000000000 JPY is above the plausible limit of "
        "1,000,000,000,000,000 JPY (10^15 yen); kept as published")
    assert sorted(Commitment.objects.values_list("iati_identifier", "amount", "currency")) == [
        ("XX-BAD-4", Decimal("10000000000000000000"), "JPY"), ("XX-BAD-6", Decimal(5000), "JPY"),
        ("XX-BAD-8", Decimal("20000000000000"), "USD")]
    assert Transaction.objects.count() == 3


def _store_bad_values() -> tuple[Commitment, Commitment, Transaction]:
    """Store values no field can hold, directly (the ORM for one, SQL for the other), as an old database might."""
    loan = Commitment.objects.get(ref="uz-livestock-yen-loan")
    other = Commitment.objects.exclude(pk=loan.pk).order_by("pk").first()
    if on_postgres():  # Django's DecimalField refuses NaN, numeric(24, 4) takes it: SQL
        with connection.cursor() as cursor:
            cursor.execute("UPDATE ledger_commitment SET amount = 'NaN' WHERE id = %s", [loan.pk])
    else:  # SQLite stores -Infinity
        Commitment.objects.filter(pk=loan.pk).update(amount=Decimal("-5e400"))
    tx = Transaction.objects.create(commitment=loan, kind="commitment", date=loan.date, amount=Decimal(1),
                                    currency="JPY")
    with connection.cursor() as cursor:
        huge = "'NaN'" if on_postgres() else "1e30"  # beyond 24 digits: SQLite keeps a float
        cursor.execute(f"UPDATE ledger_transaction SET amount = {huge} WHERE id = %s", [tx.pk])  # noqa: S608
        cursor.execute(f"UPDATE ledger_commitment SET amount = {huge} WHERE id = %s", [other.pk])  # noqa: S608
    return loan, other, tx


def test_no_page_api_admin_or_export_fails_on_stored_bad_values(seeded, admin_client, tmp_path):
    from django.core.management import call_command

    loan, other, tx = _store_bad_values()
    assert Commitment.objects.get(pk=loan.pk).amount is None  # read as empty, not an error
    assert Transaction.objects.get(pk=tx.pk).amount is None
    slug = seeded.slug
    pillar = seeded.pillars.first().slug
    urls = []
    for pk in (loan.pk, other.pk):
        urls += [f"/commitments/{pk}/", f"/commitments/{pk}.json", f"/api/v1/commitments/{pk}",
                 f"/admin/ledger/commitment/{pk}/change/", f"/admin/ledger/commitment/{pk}/delete/",
                 f"/admin/ledger/commitment/{pk}/history/"]
    urls += ["/", "/index.json", "/commitments/", "/commitments.json", "/commitments/?country=UZ",
             f"/initiatives/{slug}/", f"/initiatives/{slug}.json", f"/initiatives/{slug}/pillars/{pillar}/",
             "/countries/", "/countries/UZ/", "/countries/UZ.json", "/rules/", "/feeds/commitments.atom",
             "/api/v1/commitments", "/api/v1/commitments?country=UZ", f"/api/v1/initiatives/{slug}",
             f"/api/v1/initiatives/{slug}/progress", "/api/v1/countries/UZ", f"/api/v1/initiatives/{slug}/timeline",
             "/admin/ledger/commitment/",  # transactions are edited inline on the commitment's change page
             "/exports/commitments.csv", "/exports/commitments.xlsx", "/exports/commitments.json"]
    failed = {}
    for url in urls:
        response = admin_client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.status_code != 200:
            failed[url] = (response.status_code, body[:200])
    assert failed == {}
    page = admin_client.get(f"/commitments/{loan.pk}.json").json()
    assert json.dumps(page, ensure_ascii=False).count("Infinity") == 0
    for fmt in ("csv", "json", "xlsx", "iati"):
        call_command(f"export_{fmt}", "-o", str(tmp_path / f"all.{fmt}"))
        assert (tmp_path / f"all.{fmt}").stat().st_size > 0
    call_command("export_iati", "--initiative", slug, "-o", str(tmp_path / "initiative.xml"))
    assert b"Infinity" not in (tmp_path / "initiative.xml").read_bytes()
