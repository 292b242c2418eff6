"""One clause of an inbound message as the intents see it, and the small constructors of Actions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from personal_assistant.agent.llm.base import Action, ToolCall, TurnContext
from personal_assistant.agent.llm.offline.normalize import Normalized, normalize
from personal_assistant.agent.llm.offline.style import Voice, fit


@dataclass
class Msg:
    """A clause (or the whole message): `low` is what patterns match, `own()` what gets stored."""

    ctx: TurnContext
    text: str  # the person's words of this clause (emoji removed), trimmed
    norm: str  # normalized (see normalize.py), original case where unchanged
    low: str  # norm in lower case (same length, so spans found in low cut norm)
    now: datetime
    voice: Voice
    n: Normalized | None = None
    index: int = 0  # position of the clause in the message
    count: int = 1  # clauses in the message
    whole: str = ""  # the whole message, normalized, lower case (for context checks)
    emoji: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, ctx: TurnContext, text: str | None = None, *, index: int = 0, count: int = 1,
           whole: str | None = None) -> Msg:
        n = normalize(text if text is not None else (ctx.text or ""))
        # A question mark decides between "what's my list?" and a statement: keep it in `text`.
        low, norm = n.low.rstrip(".!").strip(), n.norm.rstrip(".!").strip()
        low, norm = re.sub(r"[.!?]+$", "", low).strip(), re.sub(r"[.!?]+$", "", norm).strip()
        return cls(
            ctx=ctx,
            text=n.original,
            norm=norm,
            low=low,
            now=ctx.local_now,
            voice=Voice(ctx.turn_id),
            n=n,
            index=index,
            count=count,
            whole=whole if whole is not None else low,
            emoji=n.emoji,
        )

    @property
    def joiner(self) -> str | None:
        return self.n.joiner if self.n is not None else None

    @property
    def ctx_day_parts(self) -> dict[str, str] | None:
        parts = getattr(self.ctx, "day_parts", None)
        return parts if isinstance(parts, dict) else None

    @property
    def fixes(self) -> int:
        return self.n.fixes if self.n is not None else 0

    def has_tool(self, name: str) -> bool:
        return any(spec.name == name for spec in self.ctx.tools)

    def own(self, start: int, end: int) -> str:
        """The person's own words behind `norm[start:end]` (never filler, emoji or a cut word)."""
        if self.n is None:
            return self.norm[start:end].strip()
        return self.n.own(start, end)

    def own_without(self, start: int, end: int, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> str:
        """Own words of `norm[start:end]` minus the given spans (time phrases), tidied."""
        pieces: list[str] = []
        cursor = start
        for s_start, s_end in sorted(spans):
            if s_end <= cursor or s_start >= end:
                continue
            if s_start > cursor:
                pieces.append(self.own(cursor, s_start))
            cursor = max(cursor, s_end)
        if cursor < end:
            pieces.append(self.own(cursor, end))
        out = re.sub(r"\s+", " ", " ".join(p for p in pieces if p)).strip()
        out = re.sub(r"(?i)^(?:at|on|by|and|to|,)\s+|\s+(?:at|on|by|and|,)$", "", out).strip(" ,.;:-")
        return out

    def cut(self, pattern: str, group: int | str = 1) -> str:
        """The person's words matched by `pattern`'s group (searched in `low`), or ""."""
        m = re.search(pattern, self.low)
        if not m or m.group(group) is None:
            return ""
        return self.own(m.start(group), m.end(group)).strip()


def call(name: str, **args: Any) -> Action:
    clean = {k: v for k, v in args.items() if v is not None}
    return Action(kind="tools", tool_calls=[ToolCall(name=name, args=clean, id="offline-1")])


def calls(*pairs: tuple[str, dict[str, Any]]) -> Action:
    """Several tool calls in one Action, run in order."""
    out = [
        ToolCall(name=name, args={k: v for k, v in args.items() if v is not None}, id=f"offline-{i}")
        for i, (name, args) in enumerate(pairs, start=1)
    ]
    return Action(kind="tools", tool_calls=out)


def ask(text: str, tool: str, args: dict[str, Any], missing: str, **extra: Any) -> Action:
    pending = {"tool": tool, "args": {k: v for k, v in args.items() if v is not None}, "missing": missing}
    pending.update(extra)
    return Action(kind="clarify", text=fit(text), pending=pending)


def say(text: str, limit: int = 160) -> Action:
    return Action(kind="answer", text=fit(text, limit))
