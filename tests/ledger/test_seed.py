"""The CA+JAD seed, checked fact by fact against the article it quotes."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType

from pledgewatch.ledger.models import (
    Commitment,
    Document,
    Event,
    Initiative,
    Organisation,
    Source,
    SourceText,
)
from pledgewatch.ledger.seed import article_text, load_seed

JST = ZoneInfo("Asia/Tokyo")
pytestmark = pytest.mark.django_db


def quotes_of(obj, field=None) -> list[str]:
    qs = Source.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)
    if field is not None:
        qs = qs.filter(field=field)
    return [s.quote for s in qs]


def test_every_source_quotes_the_article_at_its_offsets(seeded):
    text = article_text()
    sources = list(Source.objects.select_related("text"))
    assert len(sources) >= 30
    for s in sources:
        assert s.text.text == text
        assert text[s.start:s.end] == s.quote, s
        s.full_clean()


def test_second_load_changes_nothing(seeded):
    from pledgewatch.ledger.models import Commitment as C

    history = C.history.count()
    assert load_seed() == 0
    assert C.history.count() == history
    assert SourceText.objects.count() == 1


def test_initiative(seeded):
    i = seeded
    assert (i.name_ja, i.name_en) == ("CA+JAD東京イニシアティブ", "CA+JAD Tokyo Initiative")
    assert i.target.as_json() == {"amount": "3000000000000", "currency": "JPY", "qualifier": "approx"}
    assert (i.horizon_start, i.horizon_end, i.headline_currency) == (date(2025, 12, 20), date(2030, 12, 20), "JPY")
    assert sorted(i.scope_countries.values_list("code", flat=True)) == ["KG", "KZ", "TJ", "TM", "UZ"]
    assert [p.slug for p in i.pillars.all()] == ["green-resilience", "connectivity", "human-resources"]
    focus = {p.slug: [f.slug for f in p.focus_areas.all()] for p in i.pillars.all()}
    assert focus == {
        "green-resilience": ["energy-transition", "critical-minerals", "disaster-prevention", "climate-change"],
        "connectivity": ["caspian-route", "ai-partnership"],
        "human-resources": ["jds-scholarships", "medical-health"],
    }
    assert "今後5年間で総額3兆円規模のビジネス・プロジェクトを目指す目標が設定された" in quotes_of(i, "target")


def test_dialogue():
    load_seed()
    d = Organisation.objects.get(slug="ca-jad")
    assert d.founded == 2004
    assert "21年を経て外相級から首脳級へと格上げされた" in quotes_of(d)[0]


def test_dinner(seeded):
    e = Event.objects.get(slug="ca-jad-dinner-2025-12-19")
    assert e.kind == "dinner"
    assert e.starts_at == datetime(2025, 12, 19, 19, 15, tzinfo=JST)
    assert e.ends_at - e.starts_at == datetime(2025, 12, 19, 20, 15, tzinfo=JST) - e.starts_at
    assert e.place_ja == "迎賓館赤坂離宮"
    people = [(p.name_en, p.is_chair) for p in e.participants.all()]
    assert people == [("Takaichi Sanae", True), ("Motegi Toshimitsu", False), ("Aso Taro", False)]
    assert any("午後7時15分から約1時間" in q for q in quotes_of(e))


def test_summit(seeded):
    e = Event.objects.get(slug="ca-jad-summit-2025-12-20")
    assert e.kind == "summit" and e.starts_at.astimezone(JST).date() == date(2025, 12, 20)
    assert e.time_known is False and e.place_ja == "都内ホテル"
    chair = e.participants.get(is_chair=True)
    assert chair.name_en == "Takaichi Sanae"
    presidents = {p.country_id: p.name_en for p in e.participants.filter(is_chair=False)}
    assert presidents == {"KZ": "Kassym-Jomart Tokayev", "KG": "Sadyr Japarov", "TJ": "Emomali Rahmon",
                          "TM": "Serdar Berdimuhamedov", "UZ": "Shavkat Mirziyoyev"}


def test_documents(seeded):
    declaration = Document.objects.get(kind="declaration")
    assert declaration.title_ja == "「中央アジア+日本」対話・首脳共同宣言(東京宣言)"
    assert declaration.event.slug == "ca-jad-summit-2025-12-20"
    assert Document.objects.filter(kind="initiative", title_en="CA+JAD Tokyo Initiative").count() == 1
    many = Document.objects.get(represents_count__isnull=False)
    assert (many.represents_count, many.count_qualifier) == (150, "at_least")
    assert quotes_of(many, "count") == ["官民合わせて150件以上の文書が署名・披露された"]


EXPECTED = {  # ref: (instrument, recipients, amount, qualifier, pillar, channel)
    "uz-livestock-yen-loan": ("loan", ["UZ"], Decimal("21368000000"), "approx", None, None),
    "uz-blood-equipment": ("grant", ["UZ"], None, "undisclosed", "human-resources", None),
    "kg-bridge-replacement": ("grant", ["KG"], None, "undisclosed", None, None),
    "kg-power-system-maintenance": ("grant", ["KG"], None, "undisclosed", None, None),
    "tj-customs-equipment": ("grant", ["TJ"], None, "undisclosed", None, None),
    "ca5-undp-disaster-risk-reduction": ("grant", ["KG", "KZ", "TJ", "TM", "UZ"], None, "undisclosed",
                                         "green-resilience", "undp"),
}


@pytest.mark.parametrize("ref", sorted(EXPECTED))
def test_the_six_oda_commitments(seeded, ref):
    c = Commitment.objects.get(ref=ref)
    instrument, recipients, amount, qualifier, pillar, channel = EXPECTED[ref]
    assert c.instrument == instrument
    assert sorted(c.recipients.values_list("country_id", flat=True)) == recipients
    assert (c.amount, c.qualifier) == (amount, qualifier)
    assert (c.pillar.slug if c.pillar else None) == pillar
    assert (c.channel.slug if c.channel else None) == channel
    assert (c.stage, c.date, c.stage_date) == ("signed", date(2025, 12, 20), date(2025, 12, 20))
    assert list(c.stage_changes.values_list("stage", "date")) == [("signed", date(2025, 12, 20))]
    assert list(c.initiatives.values_list("slug", flat=True)) == ["ca-jad-tokyo-initiative"]
    assert c.provider.slug == "gov-jp"
    assert quotes_of(c, "stage") == ["などが合意された"]
    assert len(quotes_of(c, "")) == 1


def test_loan_amount_source(seeded):
    c = Commitment.objects.get(ref="uz-livestock-yen-loan")
    assert quotes_of(c, "amount") == ["約213.68億円"]


def test_progress_of_the_seed(seeded):
    from pledgewatch.totals.progress import progress

    p = progress(Initiative.objects.get(slug="ca-jad-tokyo-initiative"), date(2026, 11, 28))
    assert p["counted"] == {"amount": "21368000000", "currency": "JPY", "qualifier": "approx"}
    assert p["counts"]["commitments"] == 6 and p["counts"]["undisclosed"] == 5
    assert p["counts"]["documents"] == 152
    assert p["pace"]["status"] == "behind"
    assert p["pace"]["progress_share"] == "0.0071"
    assert [(r["key"], r["count"]) for r in p["breakdowns"]["pillar"]] == [
        ("green-resilience", 1), ("connectivity", 0), ("human-resources", 1), ("unassigned", 4)]


def test_counted_money_by_day_for_the_progress_chart(seeded):
    from pledgewatch.ledger.models import Commitment as C
    from pledgewatch.totals.progress import progress

    old = C.objects.create(title_en="Before the horizon", instrument="grant", amount=Decimal("5"), currency="JPY",
                           stage="completed", date=date(2019, 5, 1))
    pipeline = C.objects.create(title_en="Announced", instrument="grant", amount=Decimal("999"), currency="JPY",
                                stage="announced", date=date(2026, 2, 1))
    undated = C.objects.create(title_en="Undated", instrument="grant", amount=Decimal("1.5"), currency="JPY",
                               stage="signed")
    for c in (old, pipeline, undated):
        c.initiatives.add(seeded)
    p = progress(seeded, date(2026, 11, 28))
    assert p["counted_by_day"] == [{"date": "2025-12-20", "amount": "21368000006.5"}]
    assert p["counted"]["amount"] == "21368000006"  # the headline total is rounded to whole units
