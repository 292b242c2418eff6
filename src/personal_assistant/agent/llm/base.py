"""The provider protocol: given a turn's context and the tool results so far, what next?

A provider answers with an Action: a final answer, one clarifying question (with the pending
state that the next message completes), or tool calls for the Runner to execute. Providers:
gemini.py (google-genai) and offline/ (the deterministic brain); fallback.py chains them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from personal_assistant.core.resilience import ProviderUnavailable


@dataclass
class ToolCall:
    name: str
    args: dict[str, Any]
    id: str | None = None


@dataclass
class ToolResult:
    call: ToolCall
    ok: bool
    data: Any  # JSON-able result the tool returned (or the error message)
    summary: str  # one short line, stored in agent_steps and fed back to the provider


@dataclass
class ToolSpec:
    name: str
    description: str
    parameters: dict[str, Any]  # JSON schema of the argument model
    connector: str | None
    changes_data: bool


@dataclass
class Action:
    kind: Literal["answer", "clarify", "tools"]
    text: str | None = None
    tool_calls: list[ToolCall] = field(default_factory=list)
    # For "clarify": what the next message completes, e.g.
    # {"tool": "create_reminder", "args": {"text": "call mom"}, "missing": "due_at"}
    pending: dict[str, Any] | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    # Provider-specific conversation state to hand back on the next call (Gemini's raw content).
    raw: Any = None
    # How sure the provider is that it understood (0..1); None when it does not say. The chain
    # lets the offline brain answer without an LLM when it is sure enough (AGENT_ROUTING).
    confidence: float | None = None


@dataclass
class RecentText:
    """The assistant's newest outbound text in the thread (what the user may be answering)."""

    kind: str  # reply|reminder|urgent_reminder|checkin|focus|system|...
    body: str
    sent_at: datetime  # aware UTC
    ref_id: uuid.UUID | None = None  # the reminder of a reminder text, the focus session of a nudge
    key: str | None = None  # its idempotency key, e.g. "checkin:<user>:<date>:morning"
    answered: bool = False  # the user has texted since (this message is not the first answer)


@dataclass
class TurnContext:
    turn_id: uuid.UUID
    user_id: uuid.UUID
    text: str
    channel: str
    local_now: datetime  # aware, in the user's zone
    timezone: str
    currency: str
    user_name: str | None
    history: list[tuple[str, str]]  # (direction, body), oldest first, excluding this message
    memories: list[str]
    pending: dict[str, Any] | None  # the open clarification, if any
    last_list: dict[str, Any] | None  # {"kind": "tasks", "ids": [...]} for "done 2"
    tools: list[ToolSpec]
    unavailable_tools: dict[str, str]  # tool name -> connector it needs (not connected)
    dashboard_url: str
    last_outbound: RecentText | None = None
    # What the previous turn changed (ConversationState.last_action), for "undo" and corrections:
    # {"turn_id": str, "at": ISO time, "actions": [{"tool": str, "args": {...}, "result": {...}}]}
    last_action: dict[str, Any] | None = None
    # ISO 3166 alpha-2 country from the user's phone number or time zone when known (safety
    # replies name the local crisis line).
    country: str | None = None
    # The user's own times for day parts ({"morning": "07:00", "evening": "19:30"}): "tonight",
    # "first thing" and "this evening" follow them. None: the defaults (offline/when_words.py).
    day_parts: dict[str, str] | None = None


class LLMProvider(Protocol):
    name: str

    async def plan(self, ctx: TurnContext, results: list[ToolResult]) -> Action:
        """Next action. `results` holds every tool result of this turn so far, in order."""
        ...


# The provider cannot answer now (no key, quota spent, breaker open, errors): fall back. One class
# with the resilience layer's, so whatever a guarded call raises, the chain catches.
__all__ = ["ProviderUnavailable"]
