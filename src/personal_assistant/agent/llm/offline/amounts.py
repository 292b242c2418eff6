"""Amounts of money in a text: "$12.50", "12.50 dollars", "€8", "8 eur", "£3", "12,50 €", "50 cents".

`find_amount(text, default_currency)` returns the first amount as a two-decimal string (what the
log_expense schema accepts) with its ISO currency (the user's default when none is written; "$"
means the user's currency when that is a dollar currency, else USD) and the span it covered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₱": "PHP"}
PREFIXED = {"us$": "USD", "c$": "CAD", "ca$": "CAD", "a$": "AUD", "au$": "AUD", "nz$": "NZD", "r$": "BRL"}
WORDS = {
    "usd": "USD", "dollar": "USD", "dollars": "USD", "bucks": "USD", "buck": "USD",
    "eur": "EUR", "euro": "EUR", "euros": "EUR", "gbp": "GBP", "pound": "GBP", "pounds": "GBP",
    "quid": "GBP", "inr": "INR", "rupee": "INR", "rupees": "INR", "rs": "INR", "cad": "CAD",
    "aud": "AUD", "nzd": "NZD", "jpy": "JPY", "yen": "JPY", "chf": "CHF", "francs": "CHF",
    "mxn": "MXN", "pesos": "MXN", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "kr": "SEK",
    "zar": "ZAR", "rand": "ZAR", "sgd": "SGD", "hkd": "HKD", "brl": "BRL", "reais": "BRL",
    "pln": "PLN", "zl": "PLN",
}  # fmt: skip
DOLLAR_ZONES = {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"}

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_WORD = "|".join(sorted(WORDS, key=len, reverse=True))
_PRE = "|".join(re.escape(p) for p in sorted(PREFIXED, key=len, reverse=True))
RE_AMOUNT = re.compile(
    rf"(?P<pre>{_PRE})\s?(?P<n1>{_NUM})\b"
    rf"|(?P<sym>[$€£¥₹₩₱])\s?(?P<n2>{_NUM})(?P<k>k)?\b"
    rf"|\b(?P<n3>{_NUM})\s?(?P<sym2>[$€£¥₹₩₱])"
    rf"|\b(?P<n4>{_NUM})\s?(?P<word>{_WORD}|cents?)\b"
    rf"|\b(?P<word2>usd|eur|gbp|inr|cad|aud|rs\.?|chf|jpy)\s?(?P<n5>{_NUM})\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
                 "fifty": 50, "sixty": 60, "a hundred": 100, "hundred": 100}
RE_WORD_AMOUNT = re.compile(
    r"\b(?P<n>(?:twenty|thirty|forty|fifty|sixty)(?:[ -](?:one|two|three|four|five|six|seven|eight|nine))?|"
    r"a hundred|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|hundred)\s+"
    r"(?P<word>bucks|dollars|quid|pounds|euros|rupees)\b",
    re.IGNORECASE,
)
RE_SLANG = re.compile(r"\b(?:an?\s+)?(?P<w>fiver|tenner|score|grand|ton)\b", re.I)
SLANG = {"fiver": "5", "tenner": "10", "score": "20", "grand": "1000", "ton": "100"}
RE_BARE = re.compile(rf"(?<![\d:/.-])\b(?P<n>{_NUM})\b(?![:/]\d|\s?(?:%|am|pm|a\.m|p\.m|min|h\b|hours?))", re.I)


@dataclass(frozen=True)
class Money:
    amount: str  # "12.50"
    currency: str
    span: tuple[int, int]
    explicit_currency: bool


def to_decimal(raw: str) -> Decimal | None:
    """'1,200.50' -> 1200.50, '12,50' -> 12.50 (decimal comma), '1,200' -> 1200."""
    raw = raw.strip()
    raw = raw.replace(",", ".") if re.fullmatch(r"\d+,\d{1,2}", raw) else raw.replace(",", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def format_amount(value: Decimal) -> str | None:
    value = value.quantize(Decimal("0.01"))
    text = f"{value:.2f}"
    return text if re.fullmatch(r"\d{1,9}\.\d{2}", text) and value > 0 else None


def find_amount(text: str, default_currency: str, *, allow_bare: bool = False) -> Money | None:
    """The first amount in `text`; with allow_bare a plain number ("12.50") counts too."""
    default_currency = (default_currency or "USD").upper()[:3]
    for m in RE_AMOUNT.finditer(text):
        raw = m.group("n1") or m.group("n2") or m.group("n3") or m.group("n4") or m.group("n5")
        value = to_decimal(raw)
        if value is None:
            continue
        if m.group("pre"):
            currency = PREFIXED[m.group("pre").lower()]
        elif m.group("sym") or m.group("sym2"):
            symbol = m.group("sym") or m.group("sym2")
            currency = SYMBOLS[symbol]
            if symbol == "$" and default_currency in DOLLAR_ZONES:
                currency = default_currency
            if m.group("k"):
                value *= 1000
        else:
            word = (m.group("word") or m.group("word2") or "").lower().rstrip(".")
            if word.startswith("cent"):
                value, currency = value / 100, default_currency
            else:
                currency = WORDS.get(word, default_currency)
                if currency == "USD" and word in ("dollar", "dollars", "bucks", "buck"):
                    currency = default_currency if default_currency in DOLLAR_ZONES else "USD"
        amount = format_amount(value)
        if amount:
            return Money(amount, currency, m.span(), explicit_currency=True)
    for m in RE_WORD_AMOUNT.finditer(text):  # "twenty bucks", "five quid"
        words = m.group("n").lower().replace("-", " ").split()
        count = sum(_NUMBER_WORDS.get(w, 0) for w in words) if words[0] != "a" else 100
        currency = WORDS.get(m.group("word").lower(), default_currency)
        if currency == "USD" and m.group("word").lower() in ("bucks", "dollars"):
            currency = default_currency if default_currency in DOLLAR_ZONES else "USD"
        amount = format_amount(Decimal(count))
        if amount:
            return Money(amount, currency, m.span(), explicit_currency=True)
    for m in RE_SLANG.finditer(text):
        word = m.group("w").lower()
        if word in ("score", "grand", "ton") and not re.search(r"\b(?:spent|paid|cost|blew|dropped)\b", text, re.I):
            continue  # "a ton of work" is not money
        currency = default_currency  # "a fiver" is five of whatever the user spends
        amount = format_amount(Decimal(SLANG[word]))
        if amount:
            return Money(amount, currency, m.span(), explicit_currency=False)
    if allow_bare:
        for m in RE_BARE.finditer(text):
            value = to_decimal(m.group("n"))
            amount = format_amount(value) if value is not None else None
            if amount:
                return Money(amount, default_currency, m.span(), explicit_currency=False)
    return None
