"""Money: a Decimal amount, an ISO 4217 currency and a qualifier. Never float."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pledgewatch.ledger.exceptions import MoneyError

QUALIFIERS = ("exact", "approx", "up_to", "at_least", "undisclosed")


@cache
def iso4217_codes() -> frozenset[str]:
    """Return the active ISO 4217 alphabetic codes (from pycountry's copy of the standard)."""
    import pycountry  # noqa: PLC0415 (pycountry: ~50 ms; money is imported at every start)

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def is_currency(code: str) -> bool:
    """Return True when code is an ISO 4217 alphabetic currency code."""
    return isinstance(code, str) and code in iso4217_codes()


def validate_currency(code: str) -> None:
    """Raise ValidationError for a string that is not an ISO 4217 code (Django field validator)."""
    if code and not is_currency(code):
        raise ValidationError(_("“%(code)s” is not an ISO 4217 currency code."), params={"code": code},
                              code="currency")


def to_decimal(value) -> Decimal:
    """Return value as a Decimal; floats are refused so that no binary rounding slips in."""
    if isinstance(value, float):
        raise MoneyError("Money amounts must not be floats; pass a str or Decimal")
    try:
        result = Decimal(value) if not isinstance(value, Decimal) else value
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise MoneyError(f"Not a decimal amount: {value!r}") from exc
    if not result.is_finite():
        raise MoneyError(f"Not a finite amount: {value!r}")
    return result


def format_decimal(value: Decimal) -> str:
    """Return a plain decimal string without exponent or trailing zeros ("21368000000", "0.5")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


@dataclass(frozen=True)
class Money:
    amount: Decimal | None
    currency: str
    qualifier: str = "exact"

    def __post_init__(self):
        if self.qualifier not in QUALIFIERS:
            raise MoneyError(f"Unknown qualifier {self.qualifier!r}; use one of {', '.join(QUALIFIERS)}")
        if self.amount is not None:
            object.__setattr__(self, "amount", to_decimal(self.amount))
        if self.qualifier != "undisclosed" and self.amount is None:
            raise MoneyError("An amount is required unless the qualifier is 'undisclosed'")
        if self.currency and not is_currency(self.currency):
            raise MoneyError(f"{self.currency!r} is not an ISO 4217 currency code")

    @property
    def disclosed(self) -> bool:
        return self.qualifier != "undisclosed" and self.amount is not None

    def as_json(self) -> dict:
        """Return the API form: {"amount": "21368000000", "currency": "JPY", "qualifier": "approx"}."""
        return {
            "amount": None if self.amount is None else format_decimal(self.amount),
            "currency": self.currency or None,
            "qualifier": self.qualifier,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Money":
        """Build Money from its API form."""
        amount = data.get("amount")
        return cls(None if amount is None else to_decimal(str(amount)), data.get("currency") or "",
                   data.get("qualifier", "exact"))
