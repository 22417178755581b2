"""Counting rules, table by table: stages, qualifiers, currencies, missing rates, scope, shares, pace."""

from datetime import date
from decimal import Decimal

import pytest

from pledgewatch.ledger.counting import Item, Rules, apply_rules, count, country_shares, scope_of
from pledgewatch.ledger.rates import RateBook
from pledgewatch.totals.progress import breakdowns, pace

RULES = Rules(headline_currency="JPY", horizon_start=date(2025, 12, 20), horizon_end=date(2030, 12, 20))
BOOK = RateBook("date", use_db=False)
D = date(2025, 12, 22)  # a Monday with ECB rates


def item(**kw) -> Item:
    base = {"id": 1, "stage": "signed", "amount": Decimal("1000"), "currency": "JPY", "qualifier": "exact",
            "date": D}
    return Item(**(base | kw))


@pytest.mark.parametrize(("stage", "status", "counts"), [
    ("announced", "pipeline", False),
    ("signed", "counted", True),
    ("committed", "counted", True),
    ("disbursing", "counted", True),
    ("completed", "counted", True),
    ("cancelled", "cancelled", False),
])
def test_every_stage(stage, status, counts):
    result = apply_rules(item(stage=stage), RULES, BOOK)
    assert (result.status, result.counts) == (status, counts)
    assert result.headline == Decimal("1000")


def test_custom_counted_stages_exclude_signed():
    rules = Rules(headline_currency="JPY", counted_stages=("committed", "disbursing", "completed"))
    assert apply_rules(item(stage="signed"), rules, BOOK).status == "not_counted_stage"


@pytest.mark.parametrize(("qualifier", "amount", "money_status", "headline", "flags"), [
    ("exact", Decimal("1000"), "converted", Decimal("1000"), ()),
    ("approx", Decimal("1000"), "converted", Decimal("1000"), ("approx",)),
    ("at_least", Decimal("1000"), "converted", Decimal("1000"), ("at_least",)),
    ("up_to", Decimal("1000"), "converted", Decimal("1000"), ("up_to",)),
    ("undisclosed", None, "undisclosed", None, ("undisclosed",)),
])
def test_every_qualifier(qualifier, amount, money_status, headline, flags):
    result = apply_rules(item(qualifier=qualifier, amount=amount), RULES, BOOK)
    assert (result.money_status, result.headline, result.flags) == (money_status, headline, flags)
    assert result.counts


@pytest.mark.parametrize(("currency", "on", "expected_rate"), [
    ("JPY", D, Decimal("1")),
    # ECB 2025-12-22: USD 1.1745 and JPY 184.77 per EUR → 1 USD = 184.23 / 1.1765 JPY
    ("USD", D, Decimal("157.3180076628")),
    ("EUR", D, Decimal("184.7700000000")),
    # a Saturday takes Friday's rate (at most 10 days back)
    ("EUR", date(2025, 12, 20), Decimal("184.1500000000")),
])
def test_currency_conversion_uses_the_rate_of_the_date(currency, on, expected_rate):
    result = apply_rules(item(currency=currency, date=on), RULES, BOOK)
    assert result.rate.rate == expected_rate
    assert result.headline == Decimal("1000") * expected_rate
    if currency != "JPY":
        assert result.rate.source.startswith("ECB euro foreign exchange reference rates")


@pytest.mark.parametrize(("currency", "on"), [
    ("UZS", D),              # the ECB publishes no som rate
    ("USD", date(1990, 1, 1)),  # before the ECB series
    ("USD", None),           # no date: no rate of the date
])
def test_missing_rate_is_unconvertible_never_one(currency, on):
    result = apply_rules(item(currency=currency, date=on), RULES, BOOK)
    assert (result.money_status, result.headline, result.rate) == ("unconvertible", None, None)
    assert "unconvertible" in result.flags
    assert result.counts  # still counted in numbers


def test_fixed_policy_uses_initiative_rates():
    rules = Rules(headline_currency="JPY", conversion_policy="fixed", fixed_rates={"USD": Decimal("150")})
    book = RateBook("fixed", {"USD": "150"}, use_db=False)
    result = apply_rules(item(currency="USD"), rules, book)
    assert result.headline == Decimal("150000")
    assert apply_rules(item(currency="EUR"), rules, book).money_status == "unconvertible"


def test_month_policy_averages_the_month():
    book = RateBook("month", use_db=False)
    rate = book.get("EUR", "JPY", date(2025, 12, 22))
    assert rate.period == "month" and rate.on == date(2025, 12, 1)
    assert Decimal("180") < rate.rate < Decimal("186")


@pytest.mark.parametrize(("explicit", "by_rule", "provider", "countries", "on", "share"), [
    (True, False, None, (), None, Decimal(1)),                        # explicit link counts in full
    (False, False, 7, (("UZ", None),), D, Decimal(0)),                # no link, no rule
    (False, True, 7, (("UZ", None),), D, Decimal(1)),                 # rule: provider, country, date
    (False, True, 8, (("UZ", None),), D, Decimal(0)),                 # other provider
    (False, True, 7, (("UZ", None),), date(2025, 12, 19), Decimal(0)),  # before the horizon
    (False, True, 7, (("UZ", None),), date(2030, 12, 21), Decimal(0)),  # after the horizon
    (False, True, 7, (("UZ", Decimal(60)), ("AF", Decimal(40))), D, Decimal("0.6")),  # in-scope share only
    (False, True, 7, (("AF", None),), D, Decimal(0)),                 # recipient outside scope
])
def test_scope(explicit, by_rule, provider, countries, on, share):
    rules = Rules(headline_currency="JPY", horizon_start=date(2025, 12, 20), horizon_end=date(2030, 12, 20),
                  scope_by_rule=by_rule, scope_provider_id=7, scope_countries=frozenset({"KZ", "KG", "TJ", "TM", "UZ"}))
    it = item(explicit=explicit, provider_id=provider, countries=countries, date=on)
    assert scope_of(it, rules) == share
    result = apply_rules(it, rules, BOOK)
    assert result.in_scope is (share > 0)
    if share > 0 and on is not None:
        assert result.headline == Decimal(1000) * share


@pytest.mark.parametrize(("countries", "expected"), [
    ((), []),
    ((("UZ", None),), [("UZ", Decimal(1))]),
    ((("KG", None), ("UZ", None)), [("KG", Decimal("0.5")), ("UZ", Decimal("0.5"))]),
    ((("KG", Decimal(25)), ("UZ", Decimal(75))), [("KG", Decimal("0.25")), ("UZ", Decimal("0.75"))]),
    ((("KG", Decimal(25)), ("UZ", None)), [("KG", Decimal("0.5")), ("UZ", Decimal("0.5"))]),  # partial → equal
])
def test_country_shares(countries, expected):
    assert country_shares(countries) == expected


def test_country_breakdown_splits_by_share_and_sums_to_total():
    items = [item(id=1, countries=(("KG", Decimal(25)), ("UZ", Decimal(75))), amount=Decimal("1000")),
             item(id=2, countries=(("KZ", None), ("KG", None), ("TJ", None)), amount=Decimal("300")),
             item(id=3, countries=(("UZ", None),), stage="cancelled", amount=Decimal("5000")),
             item(id=4, countries=(("UZ", None),), qualifier="undisclosed", amount=None)]
    parts = breakdowns(count(items, RULES, BOOK))["country"]
    assert {k: (b.amount, b.count, b.undisclosed) for k, b in parts.items()} == {
        "KG": (Decimal("350"), 2, 0), "UZ": (Decimal("750"), 2, 1), "KZ": (Decimal("100"), 1, 0),
        "TJ": (Decimal("100"), 1, 0)}
    assert sum(b.amount for b in parts.values()) == Decimal("1300")


@pytest.mark.parametrize("amount", [Decimal("1"), Decimal("100"), Decimal("21368000000"), Decimal("0.0007")])
def test_splitting_shares_never_changes_the_sum(amount):
    from pledgewatch.ledger.counting import allocate

    for n in range(1, 8):
        fractions = country_shares([(f"C{i}", None) for i in range(n)])
        assert sum(p for _, p in allocate(amount, fractions)) == amount


def test_pillar_breakdown_has_explicit_unassigned():
    items = [item(id=1, pillar_id=3), item(id=2, pillar_id=None, amount=Decimal("5"))]
    parts = breakdowns(count(items, RULES, BOOK))["pillar"]
    assert {k: b.amount for k, b in parts.items()} == {"3": Decimal("1000"), "unassigned": Decimal("5")}


@pytest.mark.parametrize(("total", "today", "status"), [
    (Decimal(0), date(2025, 12, 1), "not_started"),        # before the horizon
    (Decimal(0), date(2025, 12, 20), "not_started"),       # first day
    (Decimal(0), date(2025, 12, 25), "not_started"),       # nothing yet, under 2 % elapsed
    (Decimal(0), date(2026, 12, 20), "behind"),            # a year and nothing counted
    (Decimal(600), date(2026, 12, 20), "on_track"),        # 20 % after ~20 % of the time
    (Decimal(500), date(2026, 12, 20), "behind"),          # 16.7 % vs 20 %: below the 10 % tolerance
    (Decimal(700), date(2026, 12, 20), "ahead"),
])
def test_pace_status(total, today, status):
    result = pace(total, Decimal(3000), date(2025, 12, 20), date(2030, 12, 20), today)
    assert result["status"] == status


def test_pace_projection_is_linear():
    result = pace(Decimal(600), Decimal(3000), date(2025, 12, 20), date(2030, 12, 20), date(2026, 12, 20))
    assert result["elapsed_days"] == 365 and result["total_days"] == 1826
    assert result["elapsed_share"] == "0.1999"
    assert result["progress_share"] == "0.2"
    assert result["projected_at_end"] == "3002"
    assert result["expected_by_now"] == "600"


def test_totals_are_invariant_under_reordering():
    items = [item(id=i, amount=Decimal(i * 7), countries=(("UZ", None),)) for i in range(1, 30)]
    forward = sum(c.headline for c in count(items, RULES, BOOK))
    backward = sum(c.headline for c in count(list(reversed(items)), RULES, BOOK))
    assert forward == backward == Decimal(7 * 29 * 30 // 2)


@pytest.mark.django_db
def test_find_matches_by_iati_identifier_and_by_deal(seeded):
    from pledgewatch.ledger.dedupe import Candidate, find_matches
    from pledgewatch.ledger.models import Commitment

    loan = Commitment.objects.get(ref="uz-livestock-yen-loan")
    loan.iati_identifier = "XM-DAC-701-8-TEST"
    loan.save()
    same_id = Candidate(frozenset({"KZ"}), "grant", None, "", None, ("other",), "XM-DAC-701-8-TEST")
    assert [(m.commitment_id, m.certain) for m in find_matches(same_id)] == [(loan.pk, True)]
    deal = Candidate(frozenset({"UZ"}), "loan", Decimal("21368000000"), "JPY", date(2025, 12, 17),
                     ("畜産振興のための円借款",))
    match = find_matches(deal)[0]
    assert (match.commitment_id, match.certain) == (loan.pk, True)
    assert match.reasons == ["same recipients", "same instrument", "amount within 1 %", "dates within 90 days",
                             "similar title (1.00)"]
    other_amount = Candidate(frozenset({"UZ"}), "loan", Decimal("42000000000"), "JPY", date(2025, 12, 17),
                             ("畜産振興のための円借款",))
    assert find_matches(other_amount)[0].certain is False
