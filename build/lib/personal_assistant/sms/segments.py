"""SMS segment arithmetic: GSM-7 vs UCS-2, segment counts, trimming, price estimates.

A text that uses only the GSM 03.38 alphabet is sent as GSM-7: 160 septets in one segment, 153 per
segment when split (the rest is the concatenation header). Characters of the GSM extension table
(^ { } \\ [ ~ ] | € and form feed) take an escape septet, so they count double. Any other character
switches the whole text to UCS-2: 70 UTF-16 code units in one segment, 67 when split; characters
outside the Basic Multilingual Plane (most emoji) are two code units.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67
DEFAULT_MAX_SEGMENTS = 3
# Marks a trimmed text. In a GSM-7 text the three-dot spelling keeps the GSM-7 encoding: "…" is not
# in the GSM alphabet and would turn the whole text into UCS-2 (459 characters down to 201).
ELLIPSIS_UCS2 = "…"
ELLIPSIS_GSM7 = "..."


@dataclass(frozen=True)
class SegmentInfo:
    encoding: str  # gsm7|ucs2
    units: int  # septets (gsm7) or UTF-16 code units (ucs2)
    segments: int


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def _units(text: str, encoding: str) -> int:
    if encoding == "gsm7":
        return sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def count_segments(text: str) -> SegmentInfo:
    """How many segments `text` takes, and in which encoding. An empty text is one segment."""
    encoding = "gsm7" if is_gsm7(text) else "ucs2"
    units = _units(text, encoding)
    single, multi = (GSM7_SINGLE, GSM7_MULTI) if encoding == "gsm7" else (UCS2_SINGLE, UCS2_MULTI)
    segments = 1 if units <= single else -(-units // multi)
    return SegmentInfo(encoding, units, segments)


def trim_to_segments(text: str, max_segments: int = DEFAULT_MAX_SEGMENTS) -> str:
    """`text` unchanged if it fits in `max_segments`, else cut at a word boundary with an ellipsis."""
    if count_segments(text).segments <= max_segments:
        return text
    ellipsis = ELLIPSIS_GSM7 if is_gsm7(text) else ELLIPSIS_UCS2
    encoding = "gsm7" if ellipsis == ELLIPSIS_GSM7 else "ucs2"
    multi = GSM7_MULTI if encoding == "gsm7" else UCS2_MULTI
    budget = max_segments * multi - _units(ellipsis, encoding)
    kept: list[str] = []
    used = 0
    for ch in text:
        cost = _units(ch, encoding)
        if used + cost > budget:
            break
        kept.append(ch)
        used += cost
    cut = "".join(kept)
    # Prefer ending on a whole word when one is reasonably close.
    space = cut.rfind(" ")
    if space >= len(cut) - 20 and space > 0:
        cut = cut[:space]
    return cut.rstrip() + ellipsis


def price_estimate(segments: int, price_per_segment: str | Decimal) -> Decimal:
    return (Decimal(str(price_per_segment)) * segments).quantize(Decimal("0.00001"))
