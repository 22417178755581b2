"""Duplicate search: which commitments are considered (the index), and the same matches as scoring them all."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from pledgewatch.ledger import dedupe
from pledgewatch.ledger.dedupe import Candidate, DedupeIndex, Entry, Match, _folded, _ranked, _score
from pledgewatch.ledger.rates import RateBook

BOOK = RateBook(use_db=False)
UZ = frozenset({"UZ"})
DAY = date(2025, 12, 17)


def entry(i: int, *, amount="21368000000", currency="JPY", when=DAY, recipients=UZ, instrument="loan",
          title="Livestock promotion loan", identifier=None) -> Entry:
    return Entry(recipients, instrument, None if amount is None else Decimal(amount), currency, when,
                 _folded((title,)), identifier, id=i)


def candidate(*, amount="21368000000", currency="JPY", when=DAY, recipients=UZ, instrument="loan",
              title="Livestock promotion loan") -> Candidate:
    return Candidate(recipients, instrument, None if amount is None else Decimal(amount), currency, when, (title,))


def brute_force(c: Candidate, entries: list[Entry], limit: int = 5) -> list[Match]:
    """Score every entry inside the date window (what find_matches did before the index)."""
    window = timedelta(days=dedupe.DATE_WINDOW_DAYS)
    found = [m for e in entries if not (c.date and e.date) or abs(c.date - e.date) <= window
             if (m := _score(c, e, BOOK))]
    return _ranked(found, limit)


def test_index_considers_only_near_amounts_or_dates_of_the_same_group():
    entries = [
        entry(1),                                                     # same deal
        entry(2, amount="21500000000", when=DAY + timedelta(days=80)),  # amount 0.6 % off, date close
        entry(3, amount="50000000000", when=DAY + timedelta(days=60)),  # date close only
        entry(4, amount="21300000000", when=DAY + timedelta(days=300)),  # amount close only (0.3 %)
        entry(5, amount="50000000000", when=DAY + timedelta(days=200)),  # neither: never compared
        entry(6, recipients=frozenset({"UZ", "KG"})),                   # other recipients: other group
        entry(7, instrument="grant"),                                   # other instrument: other group
        entry(8, amount="21368000000", when=DAY + timedelta(days=400)),  # amount close, outside the 360-day window
        entry(9, amount=None, when=None),                               # nothing to compare
        entry(10, amount="21368000000", when=None),                     # undated, amount close
    ]
    index = DedupeIndex(entries, book=BOOK)
    assert [e.id for e in index.candidates(candidate())] == [1, 2, 3, 4, 10]
    assert [e.id for e in index.candidates(candidate(when=None))] == [1, 2, 4, 8, 10]
    assert index.candidates(candidate(recipients=frozenset())) == []
    assert [e.id for e in index.candidates(candidate(instrument="grant"))] == [7]


def test_index_finds_amounts_across_bucket_edges_and_currencies():
    # within 1 % on either side of a bucket edge (log10 steps of 0.01); 6 % apart is two buckets away
    edge = Decimal(10) ** Decimal("10.01")
    entries = [entry(1, amount=str((edge * Decimal("0.995")).quantize(Decimal(1)))),
               entry(2, amount=str((edge * Decimal("1.004")).quantize(Decimal(1)))),
               entry(3, amount=str((edge * Decimal("1.06")).quantize(Decimal(1))))]
    index = DedupeIndex(entries, book=BOOK)
    far = DAY + timedelta(days=200)
    assert [e.id for e in index.candidates(candidate(amount=str(edge.quantize(Decimal(1))), when=far))] == [1, 2]
    # a euro amount converted at the candidate's date finds the yen commitment
    rate = BOOK.get("EUR", "JPY", DAY).rate
    euros = (Decimal("21368000000") / rate).quantize(Decimal("0.01"))
    index = DedupeIndex([entry(1, when=far)], book=BOOK)
    assert [e.id for e in index.candidates(candidate(amount=str(euros), currency="EUR"))] == [1]
    assert index.matches(candidate(amount=str(euros), currency="EUR"))[0].reasons[:3] == [
        "same recipients", "same instrument", "amount within 1 %"]


def test_index_compares_titles_only_of_the_few_candidates(monkeypatch):
    calls = []
    real = dedupe._similarity
    monkeypatch.setattr(dedupe, "_similarity", lambda a, b: calls.append(b) or real(a, b))
    entries = [entry(i, amount=str(10 ** 9 + i * 10 ** 8), when=DAY - timedelta(days=400 + i), title=f"Other {i}")
               for i in range(500)] + [entry(1000)]
    index = DedupeIndex(entries, book=BOOK)
    (match,) = index.matches(candidate())
    assert (match.commitment_id, match.certain) == (1000, True)
    assert len(calls) == 1


def test_index_gives_the_same_matches_as_scoring_every_commitment():
    rnd = random.Random(14)
    titles = ["Livestock promotion loan", "Livestock sector development", "Bridge replacement Bishkek",
              "Customs equipment", "Power system maintenance", "Disaster risk reduction"]
    groups = [UZ, frozenset({"KG"}), frozenset({"KG", "TJ"})]
    entries = []
    def amount(bases, spread):
        if rnd.random() < 0.1:
            return None
        return str(rnd.choice(bases) * Decimal(rnd.uniform(1 - spread, 1 + spread)).quantize(Decimal("0.001")))

    for i in range(1, 600):
        entries.append(entry(i, amount=amount([10 ** 9, 2 * 10 ** 9, 5 * 10 ** 8], 0.02),
                             currency=rnd.choice(["JPY", "JPY", "USD"]),
                             when=None if rnd.random() < 0.1 else DAY + timedelta(days=rnd.randint(-600, 600)),
                             recipients=rnd.choice(groups), instrument=rnd.choice(["loan", "grant"]),
                             title=rnd.choice(titles)))
    index = DedupeIndex(entries, book=BOOK)
    compared = 0
    for _ in range(150):
        c = candidate(amount=amount([10 ** 9, 2 * 10 ** 9], 0.01), currency=rnd.choice(["JPY", "USD"]),
                      when=None if rnd.random() < 0.1 else DAY + timedelta(days=rnd.randint(-500, 500)),
                      recipients=rnd.choice(groups), instrument=rnd.choice(["loan", "grant"]), title=rnd.choice(titles))
        expected = brute_force(c, entries)
        assert index.matches(c) == expected
        compared += bool(expected)
    assert compared > 50  # the comparison is not vacuous


def test_discard_takes_a_commitment_out_of_the_index():
    index = DedupeIndex([entry(1), entry(2)], book=BOOK)
    index.discard(1)
    index.discard(99)
    assert [e.id for e in index.candidates(candidate())] == [2]
    assert len(index) == 1


@pytest.mark.django_db
def test_index_load_skips_commitments_that_stand_for_an_iati_activity(seeded):
    from pledgewatch.ledger.models import Commitment

    loan = Commitment.objects.get(ref="uz-livestock-yen-loan")
    free = DedupeIndex.load()
    assert loan.pk in free.entries
    assert free.entries[loan.pk].recipients == UZ
    loan.iati_identifier = "XM-DAC-701-8-TEST"
    loan.save()
    assert loan.pk not in DedupeIndex.load().entries
    assert loan.pk in DedupeIndex.load(free_only=False).entries


@pytest.mark.django_db
def test_find_matches_reads_only_near_commitments(seeded, django_assert_max_num_queries):
    from pledgewatch.ledger.dedupe import find_matches
    from pledgewatch.ledger.models import Commitment

    loan = Commitment.objects.get(ref="uz-livestock-yen-loan")
    deal = Candidate(UZ, "loan", Decimal("21368000000"), "JPY", date(2025, 12, 17), ("畜産振興のための円借款",))
    with django_assert_max_num_queries(3):
        (match,) = find_matches(deal)
    assert (match.commitment_id, match.certain) == (loan.pk, True)
    # far in time and in amount: not even read
    far = Candidate(UZ, "loan", Decimal("99000000000"), "JPY", date(2030, 1, 1), ("畜産振興のための円借款",))
    assert find_matches(far) == []
    # an amount in euros within 1 % of the loan's, the date far: found by the converted amount range
    rate = RateBook().get("EUR", "JPY", date(2026, 6, 1)).rate
    euros = Candidate(UZ, "loan", (Decimal("21368000000") / rate).quantize(Decimal("0.01")), "EUR", date(2026, 6, 1),
                      ("畜産振興のための円借款",))
    (match,) = find_matches(euros)
    assert match.commitment_id == loan.pk
    assert match.reasons[2] == "amount within 1 %"
    loan.iati_identifier = "XM-DAC-701-8-TEST"
    loan.save()
    assert find_matches(deal, free_only=True) == []
    assert [m.commitment_id for m in find_matches(deal)] == [loan.pk]
