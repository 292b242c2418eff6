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


class LLMProvider(Protocol):
    name: str

    async def plan(self, ctx: TurnContext, results: list[ToolResult]) -> Action:
        """Next action. `results` holds every tool result of this turn so far, in order."""
        ...


class ProviderUnavailable(Exception):
    """The provider cannot answer now (no key, quota spent, breaker open, errors): fall back."""
