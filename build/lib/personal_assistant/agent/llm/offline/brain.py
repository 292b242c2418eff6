"""The offline brain: a deterministic LLMProvider for every core capability, with no network.

First call of a turn (no tool results): intents.interpret() reads the message (and completes an
open clarification) and answers, asks one question, or calls tools. Second call: replies.compose()
turns the tool results (shapes in results.py) into one short SMS. It never raises: anything
unexpected becomes a friendly answer, so the user always hears back.
"""

from __future__ import annotations

import structlog

from personal_assistant.agent.llm.base import Action, ToolResult, TurnContext
from personal_assistant.agent.llm.offline.intents import interpret
from personal_assistant.agent.llm.offline.replies import compose

log = structlog.get_logger("agent.offline")

FALLBACK = "Sorry, I got mixed up there. Could you say that another way? e.g. 'remind me to call mom at 7pm'"


class OfflineBrain:
    """Rules-based provider (name "offline"): the embedded default and the fallback."""

    name = "offline"

    async def plan(self, ctx: TurnContext, results: list[ToolResult]) -> Action:
        try:
            if results:
                return Action(kind="answer", text=compose(ctx, results))
            return interpret(ctx)
        except Exception:  # the user must always get an answer; the traceback carries no message text
            log.exception("offline_brain_failed", turn_id=str(getattr(ctx, "turn_id", "")))
            return Action(kind="answer", text=FALLBACK)
