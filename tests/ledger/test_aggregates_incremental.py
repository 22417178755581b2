"""Incremental progress (stored outcomes and running totals) equals progress() after every kind of write."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from pledgewatch.ledger.models import (
    Commitment,
    CommitmentCountry,
    Country,
    ExchangeRate,
    FocusArea,
    Initiative,
    Organisation,
)
from pledgewatch.totals import outcomes, version
from pledgewatch.totals.models import CommitmentOutcome, OutcomeBucket, OutcomeState
from pledgewatch.totals.progress import cached_progress, progress, progress_from_outcomes

CODES = ("UZ", "KZ", "KG", "TJ", "TM", "JP")
CURRENCIES = ("JPY", "JPY", "USD", "EUR", "KZT")  # KZT: no ECB rate, unconvertible
QUALIFIERS = ("exact", "exact", "approx", "up_to", "at_least", "undisclosed")
STAGES = ("announced", "signed", "committed", "disbursing", "completed", "cancelled")


@pytest.fixture
def rebuilds(monkeypatch):
    """Count full rebuilds: an ordinary write must not cause one."""
    calls = []
    real = outcomes.rebuild

    def counting(initiative):
        calls.append(initiative.slug)
        return real(initiative)

    monkeypatch.setattr(outcomes, "rebuild", counting)
    return calls


def assert_same(initiative) -> dict:
    initiative.refresh_from_db()
    expected = progress(initiative)
    assert progress_from_outcomes(initiative) == expected
    return expected


def generate(initiative, n: int, rng: random.Random) -> list[int]:
    """Create n varied commitments with signals off (bulk), as a bulk importer does; return their ids."""
    focus = list(FocusArea.objects.filter(pillar__initiative=initiative).values_list("pk", "pillar_id"))
    providers = list(Organisation.objects.values_list("pk", flat=True)[:3])
    rows = []
    for i in range(n):
        qualifier = rng.choice(QUALIFIERS)
        undated = rng.random() < 0.05
        rows.append(Commitment(
            title_en=f"Generated {i}", instrument=rng.choice(("loan", "grant", "investment", "other")),
            sector=rng.choice(("public", "private")), stage=rng.choice(STAGES), qualifier=qualifier,
            amount=None if qualifier == "undisclosed" else Decimal(rng.randrange(10**5, 10**11)) / 100,
            currency="" if qualifier == "undisclosed" else rng.choice(CURRENCIES),
            date=None if undated else date(2019, 1, 1) + timedelta(days=rng.randrange(3000)),
            provider_id=rng.choice(providers), pillar_id=rng.choice(focus)[1] if rng.random() < 0.8 else None))
    created = Commitment.objects.bulk_create(rows)
    links, recipients, areas = [], [], []
    for c in created:
        if rng.random() < 0.9:
            links.append(Commitment.initiatives.through(commitment_id=c.pk, initiative_id=initiative.pk))
        codes = rng.sample(CODES, rng.choice((0, 1, 1, 1, 2, 3)))
        shares = rng.random() < 0.5
        recipients += [CommitmentCountry(commitment=c, country_id=code,
                                         share=Decimal(rng.randrange(1, 100)) if shares else None) for code in codes]
        for pk, _pillar in rng.sample(focus, rng.choice((0, 1, 1, 2))):
            areas.append(Commitment.focus_areas.through(commitment_id=c.pk, focusarea_id=pk))
    Commitment.initiatives.through.objects.bulk_create(links)
    CommitmentCountry.objects.bulk_create(recipients)
    Commitment.focus_areas.through.objects.bulk_create(areas)
    return [c.pk for c in created]


def test_seed_equals_progress(seeded):
    expected = assert_same(seeded)
    assert expected["counted"] == {"amount": "21368000000", "currency": "JPY", "qualifier": "approx"}
    assert OutcomeState.objects.get(initiative=seeded).fingerprint == outcomes.fingerprint(
        __import__("pledgewatch.ledger.counting", fromlist=["rules_for"]).rules_for(seeded))


def test_generated_ledger_with_edits_deletes_stages_and_rates(seeded, rebuilds):
    rng = random.Random(20251220)
    ids = generate(seeded, 160, rng)
    version.refresh_commitments(ids)  # the importer's hook; nothing stored yet: the read builds
    expected = assert_same(seeded)
    assert rebuilds == ["ca-jad-tokyo-initiative"]
    assert expected["counts"]["unconvertible"] > 0 and expected["counts"]["up_to"] > 0
    assert expected["counts"]["cancelled"] > 0 and expected["counts"]["pipeline"] > 0

    # ordinary writes through the models: only the touched commitments are recomputed
    first, second, third, fourth, fifth = (Commitment.objects.get(pk=pk) for pk in ids[:5])
    first.amount, first.currency, first.qualifier = Decimal("123456789.1234"), "USD", "approx"
    first.save()
    second.stage = "cancelled"
    second.save()
    third.stage, third.date = "announced", None
    third.save()
    fourth.delete()
    fifth.recipients.all().delete()
    CommitmentCountry.objects.create(commitment=fifth, country_id="TJ", share=Decimal("33.3333"))
    CommitmentCountry.objects.create(commitment=fifth, country_id="KG", share=Decimal("66.6667"))
    fifth.focus_areas.set(FocusArea.objects.filter(pillar__initiative=seeded)[:3])
    Commitment.objects.get(pk=ids[5]).initiatives.remove(seeded)
    seeded.commitments.add(*ids[6:12])  # reverse side of the link
    new = Commitment.objects.create(title_en="New", instrument="grant", stage="signed", amount=Decimal(7),
                                    currency="EUR", qualifier="exact", date=date(2026, 1, 5))
    new.initiatives.add(seeded)
    assert_same(seeded)
    assert len(rebuilds) == 1

    # bulk writes that bypass the signals, then the hook
    changed = ids[20:60]
    Commitment.objects.filter(pk__in=changed).update(stage="completed", qualifier="exact")
    Commitment.objects.filter(pk__in=ids[60:70]).delete()  # cascades with signals on recipients only
    version.refresh_commitments(changed + ids[60:70])
    with version.deferred_bumps():
        for c in Commitment.objects.filter(pk__in=ids[70:90]):
            c.stage = STAGES[c.pk % len(STAGES)]
            c.save()
    assert_same(seeded)
    assert len(rebuilds) == 1

    # a new rate changes conversions: the outcomes are rebuilt, and stay equal
    ExchangeRate.objects.create(base="USD", quote="JPY", date=date(2019, 1, 1), valid_to=date(2030, 12, 31),
                                rate=Decimal("150.1234567891"), source="test rate")
    assert_same(seeded)
    assert len(rebuilds) == 2

    # the counting rules change: rebuilt once, then incremental again
    seeded.counted_stages = ["committed", "disbursing", "completed"]
    seeded.conversion_policy = "month"
    seeded.save()
    assert_same(seeded)
    Commitment.objects.filter(pk=ids[100]).first().delete()
    assert_same(seeded)
    assert len(rebuilds) == 3


def test_scope_rule_and_second_initiative(seeded, rebuilds):
    """Commitments counted by the scope rule (provider, countries, horizon), for two initiatives at once."""
    rng = random.Random(7)
    jica = Organisation.objects.get(slug="jica")
    other = Initiative.objects.create(slug="scope-test", name_ja="範囲", name_en="Scope test",
                                      horizon_start=date(2020, 1, 1), horizon_end=date(2024, 12, 31),
                                      headline_currency="USD", target_amount=Decimal(10**9), target_currency="JPY",
                                      target_qualifier="approx", scope_by_rule=True, scope_provider=jica,
                                      conversion_policy="year")
    other.scope_countries.set(Country.objects.filter(code__in=["KZ", "KG"]))
    ids = generate(seeded, 120, rng)
    Commitment.objects.filter(pk__in=ids).update(provider=jica)
    version.refresh_commitments(ids)
    assert_same(other)
    assert_same(seeded)
    c = Commitment.objects.get(pk=ids[0])
    c.recipients.all().delete()
    CommitmentCountry.objects.create(commitment=c, country_id="KZ", share=Decimal(1))
    CommitmentCountry.objects.create(commitment=c, country_id="UZ", share=Decimal(2))
    c.date = date(2021, 6, 1)
    c.save()
    assert_same(other)
    assert_same(seeded)
    other.scope_countries.add("TJ")  # a rule change: seen by its fingerprint
    assert_same(other)
    assert sorted(rebuilds) == ["ca-jad-tokyo-initiative", "scope-test", "scope-test"]


def test_deleting_a_focus_area_rebuilds(seeded):
    assert_same(seeded)
    area = FocusArea.objects.filter(commitments__isnull=False, pillar__initiative=seeded).first()
    area.delete()  # the links go in SQL (no signal): the outcomes are marked stale
    assert OutcomeState.objects.get(initiative=seeded).fingerprint == ""
    assert_same(seeded)


def test_cached_progress_after_a_write_reads_the_totals(seeded, django_assert_max_num_queries):
    version.clear_memo()
    cached_progress(seeded)
    loan = Commitment.objects.get(ref="uz-livestock-yen-loan")
    loan.amount = Decimal("30000000000")
    loan.save()
    assert CommitmentOutcome.objects.filter(initiative=seeded).count() == 6
    with django_assert_max_num_queries(17):  # no commitment is read: buckets, lists, labels, document claims
        result = cached_progress(seeded)
    assert result["counted"]["amount"] == "30000000000"
    assert OutcomeBucket.objects.get(initiative=seeded, dimension="total", key="counted").amount == "30000000000.0000"
