"""ISO 4217 currencies and their minor units, from the `iso4217` package (the standard's list as
data, updated with each amendment): "ZZZ" is not a currency, and JPY has no decimals."""

from __future__ import annotations

from decimal import Decimal

from iso4217 import Currency

from personal_assistant.core.errors import ValidationFailed

# Amounts are stored with two decimals (expenses.amount NUMERIC(12, 2)): a currency with three
# minor digits (KWD, BHD) takes amounts to the hundredth.
STORED_DECIMALS = 2


def currency_code(value: str, *, field: str = "currency") -> str:
    """The upper-case ISO 4217 code, or a 422 naming `field`."""
    code = (value or "").strip().upper()
    try:
        Currency(code)
    except ValueError as exc:
        raise ValidationFailed(
            "unknown currency", fields={field: "an ISO 4217 currency code, e.g. USD, EUR, JPY"}
        ) from exc
    return code


def minor_digits(code: str) -> int:
    """Decimals an amount of `code` may have: the currency's minor unit (JPY 0, USD 2), at most
    what is stored; codes without one (XAU, XDR) take the stored precision."""
    exponent = Currency(code).exponent
    return STORED_DECIMALS if exponent is None else min(exponent, STORED_DECIMALS)


def check_minor_units(amount: Decimal, code: str, *, field: str = "amount") -> None:
    digits = minor_digits(code)
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > digits:
        what = "no decimals" if digits == 0 else f"at most {digits} decimal{'s' if digits > 1 else ''}"
        raise ValidationFailed(f"{code} amounts take {what}", fields={field: f"{what} for {code}"})
