"""The CA+JAD first-year record: every row in the ledger with its source; deals counted once; claims never."""

import csv
import re
from collections import defaultdict
from decimal import Decimal
from importlib import resources

import pytest

from pledgewatch.ledger.exceptions import RecordError
from pledgewatch.ledger.models import Claim, Commitment, Document, Source, SourceText
from pledgewatch.ledger.record import read
from pledgewatch.ledger.record_load import bundled_paths, load_bundled_record, load_record
from pledgewatch.ledger.seed import article_text, load_seed
from pledgewatch.totals.progress import progress

pytestmark = pytest.mark.django_db
USD_JPY_2025_12_12 = Decimal("155.9884067854")  # ECB reference rates, cross rate through the euro


def table() -> list[dict]:
    path = resources.files("pledgewatch.data").joinpath("cajad", "year-one.csv")
    with open(str(path), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def independent_sums(rows):
    """Sum the table by SOURCES.md's conventions, without the ledger's code.

    Counted: the exchange-of-notes rows that are not totals ("aggregate"); the stage of a deal is
    "committed" once a JICA agreement row says "same money as" it.
    """
    agreed_later = {r["note"].split("same money as ")[1].split()[0] for r in rows if "same money as" in r["note"]}
    by_currency, by_country, by_stage = defaultdict(Decimal), defaultdict(Decimal), defaultdict(Decimal)
    for r in rows:
        if "exchange of notes" not in r["channel"] or r["note"].startswith("aggregate") or not r["amount"]:
            continue
        amount = Decimal(r["amount"])
        by_currency[r["currency"]] += amount
        jpy = amount if r["currency"] == "JPY" else amount * USD_JPY_2025_12_12
        countries = r["country"].split(";")
        for code in countries:
            by_country[code] += jpy / len(countries)
        by_stage["committed" if r["id"] in agreed_later else r["stage"]] += jpy
    return by_currency, by_country, by_stage


def test_every_row_is_in_the_ledger_with_its_source(recorded):
    rows = table()
    assert len(rows) == 31
    for r in rows:
        sources = Source.objects.filter(note=r["id"], url=r["source_url"])
        assert sources.exists(), r["id"]
        s = sources.first()
        assert (s.publisher, s.language, s.figure, s.text_id) == (r["source_publisher"], r["source_lang"],
                                                                   r["quote_figure"], None)
        assert s.seen_on.isoformat() == "2026-12-02"
        s.full_clean()


def test_totals_by_currency_country_and_stage_equal_the_table(recorded):
    by_currency, by_country, by_stage = independent_sums(table())
    assert dict(by_currency) == {"JPY": Decimal("31120000000"), "USD": Decimal("2000000")}  # SOURCES.md
    result = progress(recorded)
    currency = {r["key"]: r for r in __import__("pledgewatch.totals.year", fromlist=["x"]).by_currency(
        recorded, __import__("pledgewatch.ledger.counting", fromlist=["x"]).rules_for(recorded))}
    assert {k: Decimal(v["original"]["amount"]) for k, v in currency.items()} == by_currency
    assert currency["USD"]["rates"][0]["rate"] == str(USD_JPY_2025_12_12)
    countries = {r["key"]: Decimal(r["counted"]["amount"]) for r in result["breakdowns"]["country"]}
    assert countries == {k: v.quantize(Decimal(1)) for k, v in by_country.items()}
    assert countries == {"KG": Decimal("6990976814"), "KZ": Decimal("872000000"), "TJ": Decimal("1535000000"),
                         "TM": Decimal("153000000"), "UZ": Decimal("21881000000")}
    stages = {r["key"]: Decimal(r["amount"]["amount"]) for r in result["breakdowns"]["stage"] if r["count"]}
    assert {k: v for k, v in stages.items() if v} == {k: v.quantize(Decimal(1)) for k, v in by_stage.items()}
    assert result["counted"] == {"amount": "31431976814", "currency": "JPY", "qualifier": "approx"}
    assert all(r["amount"]["qualifier"] == "approx" for r in result["breakdowns"]["stage"] if r["key"] != "completed")


def test_deals_documents_and_claims_are_apart(recorded):
    deals = Commitment.objects.filter(initiatives=recorded)
    assert deals.count() == 13  # 31 rows: 13 deals, 5 agreements, 1 announcement, 1 follow-up, 11 claims
    assert sorted(deals.values_list("record_key", flat=True)) == [
        "CAJAD-009", "CAJAD-010", "CAJAD-011", "CAJAD-013", "CAJAD-015", "CAJAD-017", "CAJAD-019", "CAJAD-020",
        "CAJAD-022", "CAJAD-024", "CAJAD-026", "CAJAD-028", "CAJAD-029"]
    livestock = Commitment.objects.get(record_key="CAJAD-011")
    assert livestock.ref == "uz-livestock-yen-loan"  # the seed article's item, not a second commitment
    assert (livestock.stage, livestock.amount, livestock.qualifier) == ("committed", Decimal("21368000000"), "up_to")
    assert sorted(livestock.documents.values_list("kind", flat=True)) == ["exchange_of_notes", "loan_agreement",
                                                                        "other"]
    aktau = Commitment.objects.get(record_key="CAJAD-028")
    assert list(aktau.stage_changes.values_list("stage", "date")) == [
        ("announced", aktau.stage_changes.first().date), ("signed", aktau.date)]
    treaty = Commitment.objects.get(record_key="CAJAD-029")
    assert (treaty.stage, treaty.stage_date.isoformat()) == ("completed", "2026-07-26")
    kinds = dict(Claim.objects.values_list("key", "kind"))
    assert kinds == {"CAJAD-001": "target", "CAJAD-002": "documents", "CAJAD-003": "documents",
                     "CAJAD-004": "portfolio", "CAJAD-005": "portfolio", "CAJAD-006": "portfolio",
                     "CAJAD-007": "portfolio", "CAJAD-008": "documents", "CAJAD-014": "total",
                     "CAJAD-018": "total", "CAJAD-031": "milestone", "CAJAD-S01": "documents"}
    kg = Claim.objects.get(key="CAJAD-018")
    assert sorted(kg.contains.values_list("record_key", flat=True)) == ["CAJAD-019", "CAJAD-020", "CAJAD-022",
                                                                       "CAJAD-024"]
    uz = Claim.objects.get(key="CAJAD-004")
    assert (uz.claimant.slug, uz.claimed_by, uz.money.as_json()) == (
        "gov-uz", "the press service of the President of Uzbekistan",
        {"amount": "12000000000", "currency": "USD", "qualifier": "at_least"})
    assert (Claim.objects.get(key="CAJAD-006").count, Claim.objects.get(key="CAJAD-006").count_qualifier) == (
        60, "at_least")


def test_document_counts_all_shown_headline_says_which_and_why(recorded):
    result = progress(recorded)
    assert result["counts"]["documents"] == 158
    from pledgewatch.ledger.claims import document_counts

    counts = document_counts(recorded)
    assert (counts["headline"], counts["qualifier"], counts["basis"]) == (158, "at_least", "CAJAD-003")
    assert [(c["count"], c["qualifier"], c["claimed_by"]) for c in counts["counts"] if c["whole_initiative"]] == [
        (158, "exact", "JETRO"), (150, "at_least", "Prime Minister's Office of Japan (Kantei)"),
        (100, "at_least", "Jiji Press (via nippon.com)")]
    assert "JETRO" in counts["why"] and "150+" in counts["why"] and "100+" in counts["why"]


def test_loading_twice_changes_nothing(recorded):
    history = Commitment.history.count() + Claim.history.count() + Source.history.count()
    assert load_seed() == 0
    assert load_bundled_record(recorded) == (32, 0)
    assert Commitment.history.count() + Claim.history.count() + Source.history.count() == history


def test_seed_article_has_its_address_and_the_notice_is_not_cited(recorded):
    text = SourceText.objects.get(sha256__isnull=False, title__startswith="日本と中央アジア")
    assert text.url == "https://m.epochtimes.jp/2025/12/337897.html"
    assert text.text[text.body_start:].startswith("日本と中央アジア5カ国 初の首脳会合")
    assert text.text[:text.body_start].startswith("【ニュースレターが届かない場合】")
    assert text.text[:text.body_start].count("\n") == 3  # the notice's two lines and a blank line
    cited = Source.objects.filter(text=text)
    assert cited.count() > 30 and not cited.filter(start__lt=text.body_start).exists()
    assert Document.objects.get(kind="article").url == text.url
    assert article_text() == text.text


def bad_file(tmp_path, lines: list[str]):
    rows = bundled_paths()[0].read_text(encoding="utf-8").splitlines()
    path = tmp_path / "next-year.csv"
    path.write_text("\n".join([rows[0], *lines]) + "\n", encoding="utf-8")
    return path


def test_bad_rows_are_reported_with_their_line_and_nothing_is_written(recorded, tmp_path, english):
    good = bundled_paths()[0].read_text(encoding="utf-8").splitlines()
    new_deal = good[13].replace("CAJAD-013", "CAJAD-101").replace("360000000", "410000000").replace(
        "2025-12-17", "2026-03-03")
    path = bad_file(tmp_path, [new_deal, good[12].replace("CAJAD-012", "CAJAD-102").replace(",signed,", ",signd,"),
                               "CAJAD-103,2026-02-30,signed,UZ,grant,public,5,JPY,exact,T,,,x,,ftp://a,,,,"])
    before = (Commitment.objects.count(), Claim.objects.count(), Source.objects.count())
    with pytest.raises(RecordError) as caught:
        load_record([path], recorded)
    assert str(caught.value).splitlines() == [
        "Nothing was imported: 2 bad rows.",
        "next-year.csv, line 3: Unknown stage “signd”; use one of: announced, agreed, signed, committed, "
        "disbursing, completed, cancelled.",
        "next-year.csv, line 4: “2026-02-30” in date is not a date (YYYY-MM-DD). Every row needs the address "
        "of its source (http:// or https://)."]
    assert (Commitment.objects.count(), Claim.objects.count(), Source.objects.count()) == before


def test_next_years_table_links_to_existing_deals_and_adds_new_ones(recorded, tmp_path):
    good = bundled_paths()[0].read_text(encoding="utf-8").splitlines()
    restated = good[19].replace("CAJAD-019", "CAJAD2-001").replace("csoku.com/?p=177015", "example.org/kg")
    new = good[13].replace("CAJAD-013", "CAJAD2-002").replace("360000000", "410000000").replace(
        "2025-12-17", "2026-03-03").replace("血液保管", "検査")
    path = bad_file(tmp_path, [restated, new])
    counted = progress(recorded)["counted"]["amount"]
    assert load_record([path], recorded)[0] == 2
    assert Commitment.objects.filter(initiatives=recorded).count() == 14
    power = Commitment.objects.get(record_key="CAJAD-019")
    assert Source.objects.filter(object_id=power.pk, note="CAJAD2-001").exists()
    assert Decimal(progress(recorded)["counted"]["amount"]) == Decimal(counted) + 410000000


def test_read_classifies_by_the_note_not_by_the_id():
    rows = {r.key: r for p in bundled_paths() for r in read(p)}
    assert (rows["CAJAD-018"].kind, rows["CAJAD-018"].refers_to) == (
        "claim", ("CAJAD-019", "CAJAD-020", "CAJAD-022", "CAJAD-024"))
    assert (rows["CAJAD-012"].kind, rows["CAJAD-012"].refers_to) == ("agreement", ("CAJAD-011",))
    assert (rows["CAJAD-027"].kind, rows["CAJAD-030"].kind, rows["CAJAD-031"].kind) == (
        "earlier", "follow_up", "milestone")


def test_import_record_command(recorded, cli, tmp_path):
    status, out, err = cli("import", "record", str(bundled_paths()[0]), "--dry-run")
    assert (status, out.strip()) == (0, "Dry run: 31 rows checked, 0 records would be created or changed; "
                                        "nothing was written.")
    path = bad_file(tmp_path, ["CAJAD-9,2026-01-01,signed,UZ,grant,public,,,exact,T,,,x,,https://a.example,,,,"])
    status, out, err = cli("import", "record", str(path), lang="ja")
    assert status == 1
    assert "next-year.csv、2行目" in err and "何もインポートしていません" in err


def test_no_export_or_feed_counts_a_claim_or_an_agreement(recorded, client):
    import io

    response = client.get("/exports/commitments.csv?initiative=ca-jad-tokyo-initiative&lang=en")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 13  # the deals only: no claim, no JICA agreement as a row of its own
    total = sum(Decimal(r["headline_amount"]) for r in rows if r["headline_amount"])
    assert total == Decimal("31431976813.5708")  # the API rounds it to 31431976814
    feed = client.get("/feeds/commitments.atom?initiative=ca-jad-tokyo-initiative&lang=en").content.decode()
    linked = {int(m) for m in re.findall(r'href="[^"]*/commitments/(\d+)/"', feed)}
    deals = set(Commitment.objects.filter(initiatives=recorded).values_list("pk", flat=True))
    assert linked == deals  # every entry is about one of the 13 deals: new or changed, never a claim
    assert not any(t in feed for t in Claim.objects.values_list("title_en", flat=True))


def test_progress_api_tells_the_year(recorded, client):
    data = client.get("/api/v1/initiatives/ca-jad-tokyo-initiative/progress?lang=en").json()
    assert data["counted"] == {"amount": "31431976814", "currency": "JPY", "qualifier": "approx"}
    assert (data["counts"]["documents"], data["counts_qualifiers"]) == (158, {"documents": "at_least"})
    assert [(r["key"], r["original"]["amount"], r["counted"]["amount"]) for r in data["breakdowns"]["currency"]] == [
        ("JPY", "31120000000", "31120000000"), ("USD", "2000000", "311976814")]
    assert [(w["days"], w["count"]) for w in data["signed_recently"]] == [(30, 0), (90, 0), (365, 13)]
    assert data["announced_only"]["count"] == 0
    assert sorted(c["key"] for c in data["announced_only"]["claims"]) == ["CAJAD-001", "CAJAD-004", "CAJAD-005"]
    assert (data["next_milestone"]["key"], data["next_milestone"]["date_set"]) == ("CAJAD-031", False)
    assert [(g["country"], sorted(c["key"] for c in g["claims"])) for g in data["partner_claims"]] == [
        ("KZ", ["CAJAD-006", "CAJAD-007", "CAJAD-008"]), ("UZ", ["CAJAD-004", "CAJAD-005"])]
    assert all(c["counted"] is False for c in data["claims"])
    page = client.get("/index.json?lang=en").json()  # the overview's JSON twin: the same figures
    assert page["progress"]["signed_recently"] == data["signed_recently"]


def test_signed_recently_counts_from_today(recorded, monkeypatch):
    from pledgewatch.ledger.counting import rules_for
    from pledgewatch.totals.version import clear_memo
    from pledgewatch.totals.year import signed_recently

    windows = signed_recently(recorded, rules_for(recorded), __import__("datetime").date(2026, 2, 15))
    clear_memo()
    assert [(w["days"], w["count"]) for w in windows] == [(30, 1), (90, 13), (365, 13)]
    assert windows[0]["commitments"][0]["record"] == "CAJAD-028"
