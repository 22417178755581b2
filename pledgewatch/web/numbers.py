"""The reader's number forms, kept here for the web app's imports: they live in `ledger.formatting`."""

from pledgewatch.ledger.formatting import (  # noqa: F401  (the web app's historical import path)
    CENT,
    EN_SYMBOL,
    JA_CURRENCY,
    RU_CURRENCY,
    UNITS,
    ZERO_DECIMAL,
    chart_scale,
    compact_number,
    format_amount,
    format_date,
    format_datetime,
    format_money,
    format_rate,
    format_share,
    group,
    language,
    plain_number,
)
