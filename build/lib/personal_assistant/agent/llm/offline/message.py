"""One inbound message as the rules see it, and the small constructors of Actions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from personal_assistant.agent.llm.base import Action, ToolCall, TurnContext
from personal_assistant.agent.llm.offline.style import Voice, fit, gsm_safe

_POLITE = r"(?:please|pls|plz|thanks|thank you|thx|ty)"


@dataclass
class Msg:
    ctx: TurnContext
    text: str  # original words, trimmed
    norm: str  # original case; no leading "please/hey", no trailing punctuation or "thanks"
    low: str  # norm in lower case (same length, so spans found in low cut norm)
    now: datetime
    voice: Voice

    @classmethod
    def of(cls, ctx: TurnContext, text: str | None = None) -> Msg:
        raw = gsm_safe(text if text is not None else (ctx.text or "")).strip()
        raw = re.sub(r"\s+", " ", raw)
        norm = re.sub(rf"^(?:{_POLITE}|hey|hi|ok|okay|um|uh)[,!.]?\s+(?=\S)", "", raw, flags=re.I)
        norm = re.sub(rf"(?:[,!.]?\s+{_POLITE})+[.!?]*$", "", norm, flags=re.I)
        norm = norm.strip().rstrip(".!?").strip()
        low = norm.lower()
        if len(low) != len(norm):  # a few Unicode letters change length when lowered
            norm = low
        return cls(ctx=ctx, text=raw, norm=norm, low=low, now=ctx.local_now, voice=Voice(ctx.turn_id))

    def has_tool(self, name: str) -> bool:
        return any(spec.name == name for spec in self.ctx.tools)

    def cut(self, pattern: str, group: int | str = 1) -> str:
        """The original-case words matched by `pattern`'s group (searched in `low`), or ""."""
        m = re.search(pattern, self.low)
        if not m or m.group(group) is None:
            return ""
        return self.norm[m.start(group) : m.end(group)].strip()


def call(name: str, **args: Any) -> Action:
    clean = {k: v for k, v in args.items() if v is not None}
    return Action(kind="tools", tool_calls=[ToolCall(name=name, args=clean, id="offline-1")])


def ask(text: str, tool: str, args: dict[str, Any], missing: str, **extra: Any) -> Action:
    pending = {"tool": tool, "args": {k: v for k, v in args.items() if v is not None}, "missing": missing}
    pending.update(extra)
    return Action(kind="clarify", text=fit(text), pending=pending)


def say(text: str, limit: int = 160) -> Action:
    return Action(kind="answer", text=fit(text, limit))
