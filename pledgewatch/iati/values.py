"""Check the numbers of IATI values before they reach the ledger.

- **Refused** (the activity is not imported; its file, line and element are reported): a value that is
  not finite (`NaN`, `INF`, `Infinity`) or whose absolute value is 10^20 or more. The ledger's amounts
  hold 24 digits, 4 of them after the point, so 10^20 does not fit (`-5e400` would otherwise be stored
  by SQLite as −Infinity, and 10^21 crashed the import).
- **Warned about** (kept as published): a value above the plausible limit of its currency, 10^15 yen
  (one thousand trillion yen, several times the world's yearly aid) converted with the currency's
  order of magnitude in yen below; unlisted currencies count one unit as one yen.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

LIMIT = Decimal(10) ** 20  # what DecimalField(max_digits=24, decimal_places=4) holds: |amount| < 10^20
PLAUSIBLE_JPY = Decimal(10) ** 15
# one unit of the currency in yen, as a power of ten (plausibility, not conversion: rates are elsewhere)
YEN_PER_UNIT = {
    **dict.fromkeys(("KWD", "BHD", "OMR"), 1000),
    **dict.fromkeys(("USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "SGD", "JOD", "AZN", "XDR", "BND", "KYD",
                     "GIP", "FKP", "SHP", "PAB", "BSD", "BMD", "FJD", "LYD", "TND"), 100),
    **dict.fromkeys(("CNY", "HKD", "SAR", "AED", "QAR", "MYR", "BRL", "PLN", "ILS", "TMT", "GEL", "TJS", "SEK",
                     "NOK", "DKK", "RON", "PEN", "BYN", "TRY", "MDL", "UAH", "BWP"), 10),
    **dict.fromkeys(("KZT", "AMD", "KRW", "NGN", "HUF", "CLP", "LKR", "KES", "ETB", "BDT", "NPR", "MMK", "KHR",
                     "TZS", "UGX", "MWK", "AFN", "PKR"), Decimal("0.1")),
    **dict.fromkeys(("UZS", "IDR", "VND", "LAK", "MNT", "COP", "PYG", "GNF", "MGA", "SLE", "CDF", "BIF", "RWF"),
                    Decimal("0.01")),
    **dict.fromkeys(("IRR", "LBP", "SLL", "VES", "SYP", "STD", "SOS"), Decimal("0.001")),
}
class Later:
    """A message translated and formatted only when it is shown (most warnings are only counted)."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, params: dict):
        self.msgid, self.params = msgid, params

    def __str__(self) -> str:
        return _(self.msgid) % self.params

    def __reduce__(self):  # sent from a reader process: the constructor's arguments (no slot state to rebuild)
        return Later, (self.msgid, self.params)

    def __eq__(self, other) -> bool:
        return str(self) == str(other)

    __hash__ = None


# below this no currency's value needs a closer look (the parser's fast path)
FLOOR = min(PLAUSIBLE_JPY / v for v in YEN_PER_UNIT.values())


def plausible_limit(currency: str) -> Decimal:
    """Return the largest plausible absolute amount in the currency (10^15 yen in its order of magnitude)."""
    return PLAUSIBLE_JPY / YEN_PER_UNIT.get(currency, 1)


def check(text: str | None, amount: Decimal | None, currency: str, a, element: str, line: int) -> Decimal | None:
    """Return the amount as read; refuse the activity (`a.refuse`) or warn (`a.warn`) as the rules say.

    `amount` is the parser's reading of `text` (None when it is not a finite number).
    """
    where = {"element": element, "line": line, "value": (text or "").strip()[:40], "currency": currency or "—"}
    if amount is None:
        try:
            number = Decimal((text or "").strip())
        except (InvalidOperation, ValueError):
            return None  # not a number at all: the mapping ignores the value with a warning (bad_value)
        if number.is_finite():
            return number
        a.refuse(element, line, Later(gettext_noop(
            "%(element)s at line %(line)d: “%(value)s” is not a finite number; the activity is not imported"),
            where))
        return None
    if abs(amount) >= LIMIT:
        a.refuse(element, line, Later(gettext_noop(
            "%(element)s at line %(line)d: %(value)s %(currency)s is beyond what the ledger holds (less than "
            "10^20 in absolute value); the activity is not imported"), where))
        return amount  # kept in the Activity as read; the refusal keeps it out of the ledger
    limit = plausible_limit(currency)
    if abs(amount) > limit:
        a.warn("implausible_value", Later(gettext_noop(
            "%(element)s at line %(line)d: %(value)s %(currency)s is above the plausible limit of %(limit)s "
            "%(currency)s (10^15 yen); kept as published"), {**where, "limit": f"{limit:,f}"}))
    return amount

