"""Totals, targets and rounded figures: the sums a text states beside its items (mixin of core.Reader)."""

from decimal import Decimal

from pledgewatch.press.extract import equivalents
from pledgewatch.press.extract.items import Item
from pledgewatch.press.extract.numbers import Amount


class TotalsReading:
    """Mixin of Reader: targets, totals (sums of items, within 0.5 %), and headline figures that round others."""

    def add_target(self, amount: Amount, years: int | None) -> None:
        """Record a stated goal once (a headline and the body often state the same one)."""
        for target in self.targets:
            if target["amount"] == amount.as_json():
                target["horizon_years"] = target["horizon_years"] or years
                return
        self.targets.append({"amount": amount.as_json(), "horizon_years": years,
                             "evidence": [{"start": amount.start, "end": amount.end}]})

    def attach_orphans(self, items: list[Item], skipped: set[int]) -> None:
        """Give amounts stated apart from any instrument to the one item that lacks an amount,
        or record them as totals when they are the sum of the items' amounts."""
        used = {item.amount.start for item in items if item.amount is not None}
        for amount in self.amounts:
            if amount.start in used or amount.start in skipped:
                continue
            same = [i.amount.value for i in items if i.amount is not None and i.amount.currency == amount.currency
                    and abs(i.amount.value - amount.value) * 10 > amount.value]  # not a headline rounding it
            if len(same) >= 2 and sum(same, Decimal(0)) == amount.value:
                self.totals.append(self.total(amount))
                continue
            lacking = [i for i in items if i.amount is None]
            first = min((s for s, _, _ in lacking[0].spans), default=None) if lacking else None
            if len(lacking) == 1 and len(items) == 1 and first is not None and first < amount.start:
                self._attach(lacking[0], amount, amount.start)
                lacking[0].total_cue = False

    def split_totals(self, items: list[Item]) -> list[Item]:
        """Turn items whose amount is the sum of the other items (or marked 合計/total) into totals."""
        result = []
        for item in items:
            others = [o for o in items if o is not item and o.amount is not None and not o.total_cue
                      and item.amount is not None and o.amount.currency == item.amount.currency]
            summed = sum((o.amount.value for o in others), Decimal(0))
            # a sum announced as such may exceed its listed parts ("the rest goes to 16 other countries")
            partial = item.sum_cue and item.amount is not None and summed < item.amount.value and all(
                o.amount.value < item.amount.value for o in others)
            if item.amount is not None and len(others) >= 2 and (
                    item.total_cue or partial or _sums(item.amount.value, summed)) and item.title is None:
                self.totals.append(self.total(item.amount))
                continue
            # a package of unspecified aid told before its itemised part («экономическую помощь на 80 млрд
            # иен … из них 50 млрд иен составят кредиты»): the package is a total
            if item.instrument == "other" and item.title is None and others and summed < item.amount.value and all(
                    o.instrument != "other" and o.amount.start > item.amount.start for o in others):
                self.totals.append(self.total(item.amount))
                continue
            result.append(item)
        return result

    def drop_rounded(self, items: list[Item]) -> list[Item]:
        """Drop an item whose amount rounds another item's or a total's (a headline's 「299億円」 for the
        body's 「299億7300万円」, within 1 %; "over $1 billion" for "$1.063 billion", within 10 %): the
        body's exact figure is the deal."""
        exact = [i.amount for i in items if i.amount is not None] + [
            Amount(Decimal(t["amount"]["amount"]), t["amount"]["currency"], "", -1, -1) for t in self.totals]
        kept = []
        first = self.headline
        for item in items:
            a = item.amount
            # a headline rounds as freely as "about" does ("Japan grants 45 billion yen" for 45.8 billion)
            headline = a is not None and first[0] <= a.start < first[1]
            loose = a is not None and (a.qualifier in ("approx", "at_least") or headline)
            rest = [i.amount for i in items if i is not item and i.amount is not None
                    and a is not None and i.amount.currency == a.currency]
            summed = Amount(sum((r.value for r in rest), Decimal(0)), a.currency if a else "", "", -1, -1)
            # the headline may round the sum of the body's items: then it states their total
            exact_here = [*exact, summed] if headline and len(rest) >= 2 else exact
            rounds = [b for b in exact_here if a is not None and item.title is None
                      and b is not a and b.currency == a.currency and b.value != a.value and b.value
                      and abs(b.value - a.value) <= b.value / (10 if loose else 100)
                      and _digits(a.value) < _digits(b.value)]
            if rounds:
                if rounds == [summed]:
                    self.rounded_sums.append(a)
                continue
            kept.append(item)
        return kept

    def add_rounded_sums(self) -> None:
        """Record a headline's rounded sum of the items as their total, unless the body states that total."""
        for a in self.rounded_sums:
            stated = [Decimal(t["amount"]["amount"]) for t in self.totals if t["amount"]["currency"] == a.currency]
            if not any(abs(t - a.value) <= t / 10 for t in stated):
                self.totals.append(self.total(a))

    @property
    def headline(self) -> tuple[int, int]:
        """Return the span of the first sentence that is more than a label ("News", 「経済」)."""
        for start, end in self.sentences:
            words = self.text[start:end].split()
            if len(words) >= 3 or (self.language == "ja" and end - start >= 8):
                return start, end
        return self.sentences[0] if self.sentences else (0, 0)

    def total(self, amount: Amount) -> dict:
        """Return the JSON of a total: its amount, evidence and equivalents in other currencies."""
        return {"amount": amount.as_json(), "evidence": [{"start": amount.start, "end": amount.end}],
                "equivalents": equivalents.as_json(self.equivalents.get(amount.start, []))}


def _sums(total: Decimal, summed: Decimal) -> bool:
    """Return True when a total is the sum of items, within 0.5 % ("USD 1.063 billion" for 1,063.2 million)."""
    return total == summed or abs(total - summed) * 200 <= total


def _digits(value: Decimal) -> int:
    """Return the significant digits of a value (299億 → 3, 299億7300万 → 6)."""
    return len(str(value.normalize()).split("E")[0].replace(".", "").rstrip("0"))
