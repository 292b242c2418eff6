"""Running the brain and checking its tool calls against the real argument models."""

from __future__ import annotations

import asyncio
import inspect
import re
from typing import Any

from pydantic import BaseModel

from personal_assistant.agent.llm.base import Action, ToolResult, TurnContext
from personal_assistant.agent.llm.offline import OfflineBrain
from personal_assistant.agent.tools import schemas

CONNECTOR_TOOLS = ("calendar_list_events", "email_triage", "notion_search", "web_search", "youtube_summary")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


MODELS: dict[str, type[BaseModel]] = {
    _snake(name): cls
    for name, cls in inspect.getmembers(schemas, inspect.isclass)
    if issubclass(cls, schemas.Args) and cls is not schemas.Args and cls.__module__ == schemas.__name__
}
for _tool in CONNECTOR_TOOLS:
    if hasattr(schemas, "ConnectorQuery"):
        MODELS[_tool] = schemas.ConnectorQuery


def plan(ctx: TurnContext, results: list[ToolResult] | None = None) -> Action:
    return asyncio.run(OfflineBrain().plan(ctx, results or []))


def validate_calls(action: Action) -> None:
    """Every tool call must pass its argument model (what the Runner will enforce)."""
    for call in action.tool_calls:
        model = MODELS.get(call.name)
        assert model is not None, f"unknown tool {call.name}"
        model.model_validate(call.args)


def check(action: Action, expected: tuple[str, Any]) -> None:
    """expected: (tool name, {arg: value}) | ("clarify", missing) | ("answer", substring)."""
    kind, detail = expected
    if kind == "clarify":
        assert action.kind == "clarify", (action.kind, action.tool_calls, action.text)
        assert action.pending and action.pending["missing"] == detail
        assert action.text and len(action.text) <= 160
        return
    if kind == "answer":
        assert action.kind == "answer", (action.kind, action.tool_calls)
        assert action.text and detail.lower() in action.text.lower(), action.text
        return
    assert action.kind == "tools", (action.kind, action.text)
    assert [c.name for c in action.tool_calls] == [kind], action.tool_calls
    args = action.tool_calls[0].args
    for key, value in (detail or {}).items():
        if value is ...:
            assert key not in args or args[key] is None, (key, args)
        else:
            assert args.get(key) == value, (key, args.get(key), value)
    validate_calls(action)
