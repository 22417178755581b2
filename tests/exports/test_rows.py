"""What one exported row says: codes with labels, money in both currencies, counting rules, date."""

import pytest
from django.utils import translation

from pledgewatch.exports.rows import COLUMNS, Export
from pledgewatch.ledger.queries import CommitmentFilter, FilterError
from tests.exports.conftest import by_ref


def rows(**kwargs) -> dict[str, dict]:
    export = Export(**kwargs)
    return by_ref([dict(zip(COLUMNS, r, strict=True)) for r in export.rows()])


def test_yen_loan_row_in_japanese(ledger):
    row = rows(language="ja")["uz-livestock-yen-loan"]
    assert {k: row[k] for k in ("instrument", "instrument_label", "stage", "stage_label", "recipients",
                                "recipients_label", "amount", "currency", "qualifier", "qualifier_label",
                                "headline_amount", "headline_currency", "rate", "rate_source",
                                "counting_status", "counting_initiative", "provider", "provider_label")} == {
        "instrument": "loan", "instrument_label": "借款", "stage": "signed", "stage_label": "署名",
        "recipients": "UZ", "recipients_label": "ウズベキスタン", "amount": "21368000000", "currency": "JPY",
        "qualifier": "approx", "qualifier_label": "約", "headline_amount": "21368000000",
        "headline_currency": "JPY", "rate": "1", "rate_source": "same currency", "counting_status": "counted",
        "counting_initiative": "ca-jad-tokyo-initiative", "provider": "gov-jp", "provider_label": "日本国政府"}
    assert row["counting_rules"].startswith("集計する段階: 署名, 確約, 実行中, 完了")
    assert row["export_date"].startswith("20")


def test_usd_row_converted_at_ecb_rate_with_date_and_source(ledger):
    row = rows(language="en")["kz-usd-investment"]
    assert row["recipients"] == "KG:40; KZ:60"
    assert row["recipients_label"] == "Kyrgyzstan; Kazakhstan"
    assert row["amount"] == "195000000" and row["currency"] == "USD" and row["qualifier"] == "up_to"
    assert row["rate_date"] == "2026-03-02" or row["rate_date"] < "2026-03-02"
    assert row["rate_source"].startswith("ECB euro foreign exchange reference rates")
    from decimal import Decimal

    assert Decimal(row["headline_amount"]) == (Decimal(195000000) * Decimal(row["rate"])).quantize(Decimal("0.0001"))
    assert row["counting_status"] == "pipeline"
    assert row["counting_status_label"] == "pipeline (announced, not counted)"
    assert row["sector_label"] == "private"


def test_counting_rules_and_date_are_columns_on_every_row(ledger):
    export = Export(language="en")
    all_rows = [dict(zip(COLUMNS, r, strict=True)) for r in export.rows()]
    assert len(all_rows) == 7
    assert {r["counting_rules"] for r in all_rows} == {
        "counted stages: signed, committed, disbursing, completed; announced: pipeline, not counted; "
        "cancelled: never counted; headline currency: JPY; conversion: rate of the commitment date; "
        "up to: counted at face value and flagged; undisclosed: counted in numbers, not in money; "
        "unconvertible: excluded from money and listed"}
    assert {r["export_date"] for r in all_rows} == {export.exported_at.isoformat()}


def test_filters_are_those_of_the_lists(ledger):
    found = rows(filters=CommitmentFilter.from_params({"country": "UZ", "instrument": "loan"}), language="en")
    assert list(found) == ["uz-livestock-yen-loan"]
    with translation.override("en"), pytest.raises(FilterError, match=r"^Unknown instrument: bond$"):
        Export(CommitmentFilter.from_params({"instrument": "bond"})).queryset()


def test_no_initiative_means_no_headline(db):
    from pledgewatch.ledger.models import Commitment

    Commitment.objects.create(title_en="Lone", instrument="grant", amount=5, currency="EUR", qualifier="exact")
    row = rows(language="en")[""]
    assert (row["headline_amount"], row["counting_status"], row["counting_rules"], row["amount"]) == ("", "", "", "5")
