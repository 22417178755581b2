"""The single-query row source and the CSV writer give exactly the bytes of the previous implementation
(tests/exports/reference_export.py) on a varied ledger, in every language, filtered or not; the XLSX and
JSON writers read the same rows."""

import datetime
from datetime import date
from decimal import Decimal

import pytest

from pledgewatch.exports.formats import FORMATS
from pledgewatch.exports.rows import Export
from pledgewatch.ledger.models import (
    Commitment,
    CommitmentCountry,
    Event,
    ExchangeRate,
    FocusArea,
    Initiative,
    Organisation,
    Pillar,
)
from pledgewatch.ledger.queries import CommitmentFilter
from tests.exports import reference_export

TEXTS = ["", "plain", "a,b", 'say "hi"', "two\nlines", "=SUM(A1)", "'quoted", "日本語、カンマ", "-1", "@cmd"]
STAMP = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def varied(ledger):
    """The seed plus 60 commitments covering every kind of row: explicit and scope-rule links, shares,
    several focus areas and initiatives, every currency case, undisclosed and dateless amounts."""
    other = Initiative.objects.create(
        slug="other-initiative", name_ja="別", name_en="Other", horizon_start=date(2020, 1, 1),
        horizon_end=date(2030, 12, 31), headline_currency="USD", counted_stages=["signed", "committed"])
    ledger.scope_by_rule = True
    ledger.scope_provider = Organisation.objects.get(slug="jica")
    ledger.save()
    ledger.scope_countries.add("KZ", "UZ")
    ExchangeRate.objects.create(base="KZT", quote="JPY", rate=Decimal("0.3125"), date=date(2025, 1, 1),
                                valid_to=date(2026, 12, 31),
                                source="central bank")
    pillars = [*Pillar.objects.order_by("pk"), None]
    focus = list(FocusArea.objects.order_by("pk"))
    orgs = list(Organisation.objects.order_by("pk"))
    event = Event.objects.order_by("pk").first()
    currencies = ["JPY", "USD", "EUR", "KZT", "XAU"]
    qualifiers = ["exact", "approx", "up_to", "at_least", "undisclosed"]
    stages = ["announced", "signed", "committed", "disbursing", "completed", "cancelled"]
    for i in range(60):
        qualifier = qualifiers[i % 5]
        undisclosed = qualifier == "undisclosed"
        c = Commitment.objects.create(
            ref=f"varied-{i}", iati_identifier=f"JP-{i}" if i % 4 == 0 else None,
            title_ja=TEXTS[i % len(TEXTS)] or "題", title_en=TEXTS[(i + 3) % len(TEXTS)] or "title",
            title_ru=TEXTS[(i + 5) % len(TEXTS)], description_en=TEXTS[(i + 7) % len(TEXTS)],
            classification_reason=TEXTS[(i + 1) % len(TEXTS)], pillar=pillars[i % len(pillars)],
            instrument=["loan", "grant", "investment", "technical_cooperation"][i % 4],
            sector="private" if i % 3 == 0 else "public", dac_sector="12240" if i % 7 == 0 else "",
            stage=stages[i % 6], stage_date=date(2026, 1, 1 + i % 28) if i % 2 else None,
            provider=orgs[i % len(orgs)], channel=orgs[(i + 1) % len(orgs)] if i % 5 == 0 else None,
            event=event if i % 3 == 1 else None,
            amount=None if undisclosed else Decimal(1000 * i + 7) + (Decimal("0.125") if i % 6 == 0 else 0),
            currency="" if undisclosed else currencies[i % len(currencies)], qualifier=qualifier,
            date=None if i % 11 == 10 else date(2025 + i % 2, 1 + i % 12, 1 + i % 28))
        if i % 3 != 2:
            c.initiatives.add(ledger)  # the others count only through the scope rule (or not at all)
        if i % 4 == 1:
            c.initiatives.add(other)
        codes = [["KZ"], ["UZ"], ["KG", "TJ"], ["UZ", "KZ", "TM"], []][i % 5]
        shares = [None] * len(codes) if i % 2 else [Decimal(100) / len(codes) for _c in codes]
        for code, share in zip(codes, shares, strict=True):
            CommitmentCountry.objects.create(commitment=c, country_id=code,
                                             share=None if share is None else share.quantize(Decimal("0.0001")),
                                             basis=["stated", "stated", "identifier", "location"][i % 4])
        c.focus_areas.add(*focus[i % 3: i % 3 + i % 3])
    return ledger


def both(language: str, filters: CommitmentFilter | None = None) -> tuple[Export, reference_export.Export]:
    new, old = Export(filters, language=language), reference_export.Export(filters, language=language)
    new.exported_at = old.exported_at = STAMP
    return new, old


@pytest.mark.parametrize("language", ["en", "ja", "ru"])
def test_csv_bytes_equal_the_previous_implementation(varied, language):
    new, old = both(language)
    fast = b"".join(FORMATS["csv"].stream(new))
    assert fast == b"".join(reference_export.reference_csv(old))
    assert fast.count(b"\r\n") >= 67  # header, 6 seed rows, the USD row and 60 varied rows


@pytest.mark.parametrize("language", ["en", "ja"])
def test_inferred_recipients_labelled_and_left_out_by_the_rules(varied, language):
    """recipients_label names how an inferred recipient is known; the counting option leaves it out."""
    new, old = both(language)
    counted_all = b"".join(FORMATS["csv"].stream(new))
    assert counted_all == b"".join(reference_export.reference_csv(old))
    label = "inferred from an identifier" if language == "en" else "識別子から推定"
    assert f"({label})".encode() in counted_all
    varied.count_inferred_recipients = False
    varied.save()
    new, old = both(language)
    stated = b"".join(FORMATS["csv"].stream(new))
    assert stated == b"".join(reference_export.reference_csv(old))


@pytest.mark.parametrize("params", [{"country": "KZ"}, {"instrument": "loan", "sort": "amount"},
                                    {"initiative": "other-initiative"}, {"q": "plain", "sort": "-id"}])
def test_filtered_rows_equal_the_previous_implementation(varied, params):
    new, old = both("ja", CommitmentFilter.from_params(params))
    rows = list(new.rows())
    assert rows == list(old.rows())
    assert rows  # every filter matches something
    assert b"".join(FORMATS["csv"].stream(new)) == b"".join(reference_export.reference_csv(old))


def test_json_and_xlsx_read_the_same_rows(varied):
    new, old = both("en")
    assert b"".join(FORMATS["json"].stream(new)) == b"".join(FORMATS["json"].stream(old))
    assert list(new.rows()) == list(old.rows())
    assert len(list(new.rows())) == Commitment.objects.count()


def test_outside_a_transaction_the_rows_stream_from_copy_on_postgresql(transactional_db, countries, varied):
    """Outside a transaction (a web request), PostgreSQL streams the rows through COPY on a second
    connection and a whole-ledger export joins the aggregated links: the same bytes again (one test: the
    flush after a transactional test empties the country table that the seed needs)."""
    from django.db import connection

    for params in ({}, {"country": "KZ"}, {"sort": "title"}):
        new, old = both("ja", CommitmentFilter.from_params(params))
        assert not connection.in_atomic_block
        assert b"".join(FORMATS["csv"].stream(new)) == b"".join(reference_export.reference_csv(old))
        assert list(new.rows()) == list(old.rows())
