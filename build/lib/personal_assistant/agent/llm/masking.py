"""Secrets a user may text (card numbers, one-time codes) never leave for an external LLM.

Masking is reversible within one turn: each secret becomes a placeholder such as [CARD-1] or
[CODE-1]; the model copies placeholders into tool arguments or its answer, and the Runner puts
the real value back before a tool runs or the reply goes to the user. The secret itself never
reaches the provider.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# 13-19 digits, optionally grouped by single spaces or dashes.
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
_CODE_WORDS = (
    r"code|codes|otp|one[- ]time|passcode|pass code|pin|verification|verify|2fa|mfa|security|token|password"
)
_KEYWORD = re.compile(rf"\b(?:{_CODE_WORDS})\b", re.IGNORECASE)
_SHORT_NUMBER = re.compile(r"(?<![\d.,:$/-])\d{4,8}(?![\d.,:/]\d|\d)")
# How far (characters) a code may sit from its keyword: "my code is 123456", "123456 is your OTP".
_NEAR = 40
_PLACEHOLDER = re.compile(r"\[(CARD|CODE)-(\d+)\]")


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


@dataclass
class Masker:
    """Per-turn placeholder table: the same secret always gets the same placeholder."""

    secrets: dict[str, str] = field(default_factory=dict)  # placeholder -> secret
    _by_secret: dict[str, str] = field(default_factory=dict)

    def _placeholder(self, kind: str, secret: str) -> str:
        existing = self._by_secret.get(secret)
        if existing is not None:
            return existing
        count = sum(1 for p in self.secrets if p.startswith(f"[{kind}-")) + 1
        placeholder = f"[{kind}-{count}]"
        self.secrets[placeholder] = secret
        self._by_secret[secret] = placeholder
        return placeholder

    def mask(self, text: str) -> str:
        if not text or not any(ch.isdigit() for ch in text):
            return text

        def card(match: re.Match[str]) -> str:
            digits = re.sub(r"\D", "", match.group(0))
            if 13 <= len(digits) <= 19 and luhn_valid(digits):
                return self._placeholder("CARD", match.group(0))
            return match.group(0)

        text = _CARD.sub(card, text)
        keywords = [m.span() for m in _KEYWORD.finditer(text)]
        if not keywords:
            return text

        def code(match: re.Match[str]) -> str:
            start, end = match.span()
            near = any(
                (k_end <= start and start - k_end <= _NEAR) or (k_start >= end and k_start - end <= _NEAR)
                for k_start, k_end in keywords
            )
            return self._placeholder("CODE", match.group(0)) if near else match.group(0)

        return _SHORT_NUMBER.sub(code, text)

    def mask_value(self, value: Any) -> Any:
        """Mask every string inside a JSON-able value."""
        if isinstance(value, str):
            return self.mask(value)
        if isinstance(value, dict):
            return {k: self.mask_value(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.mask_value(v) for v in value]
        return value

    def unmask(self, text: str) -> str:
        if not self.secrets or "[" not in text:
            return text
        return _PLACEHOLDER.sub(lambda m: self.secrets.get(m.group(0), m.group(0)), text)

    def unmask_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.unmask(value)
        if isinstance(value, dict):
            return {k: self.unmask_value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.unmask_value(v) for v in value]
        return value
