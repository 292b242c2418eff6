"""Card numbers and one-time codes never leave for the LLM; the user's own words come back intact."""

from __future__ import annotations

import pytest

from personal_assistant.agent.llm.masking import Masker, luhn_valid


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("my card is 4111 1111 1111 1111", "4111 1111 1111 1111"),
        ("card 4111-1111-1111-1111 exp 04/29", "4111-1111-1111-1111"),
        ("amex 378282246310005 please", "378282246310005"),
        ("Your verification code is 839201", "839201"),
        ("839201 is your OTP", "839201"),
        ("my PIN: 4321", "4321"),
        ("bank 2FA code 12345678 expires soon", "12345678"),
        ("use passcode 5566 at the door", "5566"),
    ],
)
def test_secrets_are_replaced_by_placeholders(text, secret):
    masker = Masker()
    masked = masker.mask(text)
    assert secret not in masked
    assert "[CARD-1]" in masked or "[CODE-1]" in masked
    assert masker.unmask(masked) == text


@pytest.mark.parametrize(
    "text",
    [
        "remind me to take my meds at 9pm",
        "spent $12.50 on lunch",
        "call 555-123-4567 tomorrow",
        "the meeting is at 1430 in room 2048",
        "order 4111 1111 1111 1112 widgets",  # fails the Luhn check: not a card
        "run 5000 meters on 2026-03-14",
        "I walked 12000 steps",
    ],
)
def test_ordinary_numbers_are_left_alone(text):
    assert Masker().mask(text) == text


def test_same_secret_same_placeholder_and_values_are_masked_deeply():
    masker = Masker()
    value = {"result": {"items": [{"content": "gym pin is 2468"}, {"content": "pin 2468 again"}]}, "n": 3}
    masked = masker.mask_value(value)
    assert masked["result"]["items"][0]["content"] == "gym pin is [CODE-1]"
    assert masked["result"]["items"][1]["content"] == "pin [CODE-1] again"
    assert masked["n"] == 3
    assert masker.unmask_value({"title": "PIN [CODE-1]", "unknown": "[CODE-9]"}) == {
        "title": "PIN 2468", "unknown": "[CODE-9]"}


def test_luhn():
    assert luhn_valid("4111111111111111")
    assert luhn_valid("378282246310005")
    assert not luhn_valid("4111111111111112")
