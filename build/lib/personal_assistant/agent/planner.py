"""The Planner asks the turn's provider for the next Action and measures the call."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from personal_assistant.agent.llm.base import Action, ToolResult, TurnContext


class TurnProvider(Protocol):
    """A provider for one turn; `name` is whoever answers now (it may change on fallback)."""

    @property
    def name(self) -> str: ...

    async def plan(self, ctx: TurnContext, results: list[ToolResult]) -> Action: ...


@dataclass
class PlannedAction:
    action: Action
    provider: str
    latency_ms: int


class Planner:
    def __init__(self, provider: TurnProvider) -> None:
        self.provider = provider

    async def next_action(self, ctx: TurnContext, results: list[ToolResult]) -> PlannedAction:
        """Answer, clarify, or call tools: whatever the provider decides given the results so far."""
        started = time.perf_counter()
        action = await self.provider.plan(ctx, results)
        latency_ms = int((time.perf_counter() - started) * 1000)
        # Read the name after the call: a fallback inside plan() changes who answered.
        return PlannedAction(action, self.provider.name, latency_ms)
