"""The default initiative's built-ins are seed data (pledgewatch/data/seed/ca-jad-defaults.json)."""

from pledgewatch.ledger import defaults, seed_data
from pledgewatch.press.pillars import DEFAULT_INITIATIVE, default_rules


def test_the_defaults_belong_to_the_seeded_initiative():
    assert defaults.initiative_slug() == seed_data.INITIATIVE["slug"] == DEFAULT_INITIATIVE
    assert list(defaults.press_keywords()) == [p["slug"] for p in seed_data.PILLARS]


def test_press_keywords_and_iati_rules_read_from_the_file():
    keywords = defaults.press_keywords()
    assert keywords["green-resilience"].splitlines()[:3] == ["エネルギー", "再生可能", "脱炭素"]
    assert default_rules().order == ("green-resilience", "connectivity", "human-resources")
    rules = defaults.iati_pillar_rules()
    assert len(rules) == 21
    assert rules[0] == defaults.PillarRuleDefault(("human-resources", "people", "human-development", "hitozukuri"),
                                                  "", "scholarship\n奨学\nJDS",
                                                  "Scholarships (JDS) are people development")
    assert (rules[4].dac_prefix, rules[4].note) == ("32220", "Mineral and mining resources (critical minerals)")
