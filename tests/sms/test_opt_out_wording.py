"""The opt-out confirmation's wording: bare CANCEL opts out, so it says how to come back and how
to cancel a single reminder, in one GSM-7 segment; "cancel dentist" is not an opt-out."""

from __future__ import annotations

from personal_assistant.sms import keywords
from personal_assistant.sms.segments import count_segments


def test_the_opt_out_confirmation_says_how_to_come_back_and_how_to_cancel_one_reminder():
    text = keywords.opt_out_text("ADHD Assistant")
    assert "START" in text and "'cancel dentist'" in text
    info = count_segments(text)
    assert info.encoding == "gsm7" and info.segments == 1, len(text)


def test_only_a_bare_cancel_is_the_carrier_keyword():
    assert keywords.classify("CANCEL") == "opt_out"
    assert keywords.classify("cancel.") == "opt_out"
    assert keywords.classify("cancel dentist") is None
    assert keywords.classify("cancel the dentist reminder") is None
