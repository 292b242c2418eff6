"""Segment counting as carriers bill it."""

from __future__ import annotations

import pytest

from personal_assistant.sms.segments import count_segments, trim_to_segments


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("", "gsm7", 1),
        ("a" * 160, "gsm7", 1),
        ("a" * 161, "gsm7", 2),
        ("a" * 306, "gsm7", 2),
        ("a" * 307, "gsm7", 3),
        ("{" * 80, "gsm7", 1),  # extension characters take two septets
        ("{" * 81, "gsm7", 2),
        ("€" + "a" * 158, "gsm7", 1),
        ("€" + "a" * 159, "gsm7", 2),
        ("é ñ ü Ä ß £ ¥", "gsm7", 1),
        ("ç" + "a" * 69, "ucs2", 1),  # lower-case ç is not in GSM-7
        ("…" + "a" * 69, "ucs2", 1),
        ("…" + "a" * 70, "ucs2", 2),
        ("🎉" * 35, "ucs2", 1),  # emoji are two UTF-16 units
        ("🎉" * 36, "ucs2", 2),
        ("x" * 1600, "gsm7", 11),
    ],
)
def test_count_segments(text, encoding, segments):
    info = count_segments(text)
    assert (info.encoding, info.segments) == (encoding, segments)


def test_trim_keeps_short_texts_and_cuts_long_ones_at_a_word():
    assert trim_to_segments("short") == "short"
    long_text = "word " * 200
    trimmed = trim_to_segments(long_text, 3)
    assert count_segments(trimmed).segments == 3
    assert trimmed.endswith("word...")


def test_trim_never_splits_an_emoji_and_stays_within_the_limit():
    trimmed = trim_to_segments("🎉" * 200, 2)
    info = count_segments(trimmed)
    assert info.segments == 2 and trimmed.endswith("…")
    assert "\ud83c" not in trimmed
