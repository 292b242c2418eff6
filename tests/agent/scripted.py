"""A scripted provider: a test double of the LLM provider interface (agent/llm/base.py).

Each script entry is an Action, or a function (ctx, results) -> Action for replies that depend
on what the tools returned. It records what it was shown, so tests can check what the Runner
fed back. When the script runs out it answers "All set."
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from personal_assistant.agent.llm.base import Action, ToolCall, ToolResult, TurnContext

Step = Action | Callable[[TurnContext, list[ToolResult]], Action]


def call(name: str, **args: Any) -> Action:
    return Action("tools", tool_calls=[ToolCall(name=name, args=args, id=f"{name}-1")])


def answer(text: str) -> Action:
    return Action("answer", text=text)


class ScriptedProvider:
    def __init__(self, *steps: Step, name: str = "scripted", delay: float = 0.0) -> None:
        self.name = name
        self.steps = list(steps)
        self.delay = delay
        self.seen: list[tuple[TurnContext, list[ToolResult]]] = []
        self.events: list[tuple[str, str]] = []  # (event, user text) for ordering checks

    async def plan(self, ctx: TurnContext, results: list[ToolResult]) -> Action:
        self.seen.append((ctx, list(results)))
        self.events.append(("start", ctx.text))
        if self.delay:
            await asyncio.sleep(self.delay)
        self.events.append(("end", ctx.text))
        if not self.steps:
            return answer("All set.")
        step = self.steps.pop(0)
        return step(ctx, results) if callable(step) else step


class RepeatingProvider(ScriptedProvider):
    """Always asks for the same tool call: never finishes by itself (step-limit tests)."""

    def __init__(self, action: Action) -> None:
        super().__init__(name="looping")
        self.action = action

    async def plan(self, ctx: TurnContext, results: list[ToolResult]) -> Action:
        self.seen.append((ctx, list(results)))
        return self.action
