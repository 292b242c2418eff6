"""The offline brain: a deterministic LLMProvider for every core capability, with no network.

First call of a turn (no tool results): plan.first_action() reads the message (its open question,
its context, its clauses; see plan.py) and answers, asks one question, or calls tools. Second
call: plan.final_action() writes one short SMS covering every clause from the tool results. It
never raises: anything unexpected becomes a friendly answer, so the user always hears back.
Every Action carries a confidence (the chain routes on it when Gemini is configured).
"""

from __future__ import annotations

import re

import structlog
from pydantic import BaseModel, ValidationError

from personal_assistant.agent.llm.base import Action, ToolResult, TurnContext
from personal_assistant.agent.llm.offline.message import say
from personal_assistant.agent.llm.offline.plan import final_action, first_action
from personal_assistant.agent.llm.offline.style import gsm_reply
from personal_assistant.agent.tools import schemas

log = structlog.get_logger("agent.offline")

FALLBACK = "Sorry, I got mixed up there. Could you say that another way? e.g. 'remind me to call mom at 7pm'"
TOOL_MODELS: dict[str, type[BaseModel]] = {
    re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower(): cls
    for cls in vars(schemas).values()
    if isinstance(cls, type) and issubclass(cls, schemas.Args) and cls is not schemas.Args
}


def interpret(ctx: TurnContext) -> Action:
    """The Action for the first call of a turn (no tool results yet), valid for the Runner."""
    return checked(first_action(ctx))


def checked(action: Action) -> Action:
    """Tool calls pass their argument models (unknown keys are dropped), else a plain answer."""
    for tool_call in action.tool_calls:
        model = TOOL_MODELS.get(tool_call.name)
        if model is None:
            continue
        args = {k: v for k, v in tool_call.args.items() if k in model.model_fields}
        try:
            model.model_validate(args)
        except ValidationError:
            return Action("answer", text="Sorry, I couldn't quite get that. Could you say it another way?",
                          confidence=0.2)
        tool_call.args = args
    return action


class OfflineBrain:
    """Rules-based provider (name "offline"): the embedded default and the fallback."""

    name = "offline"

    async def plan(self, ctx: TurnContext, results: list[ToolResult]) -> Action:
        try:
            action = final_action(ctx, results) if results else interpret(ctx)
            if action.text:
                action.text = gsm_reply(action.text)  # replies stay GSM-7, whatever words they echo
            return action
        except Exception:  # the user must always get an answer; the traceback carries no message text
            log.exception("offline_brain_failed", turn_id=str(getattr(ctx, "turn_id", "")))
            action = say(FALLBACK)
            action.confidence = 0.0
            return action
