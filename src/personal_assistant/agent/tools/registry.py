"""The one tool registry.

A tool declares its name, a description (the LLM reads it), a pydantic argument model (its JSON
schema goes to the LLM; the Runner validates calls against it), the connector it needs (None for
base tools, or "google" / "microsoft" / "notion"), whether it changes data, and an async
implementation `(ctx: ToolContext, args) -> dict` returning a JSON-able result.

Implementations live in one module per family (agent/tools/<family>.py) and call services only.
The enabled set for a user is the base tools plus the tools whose connector the user connected.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.agent.llm.base import ToolSpec
from personal_assistant.agent.repository import ConnectorStatusRepository
from personal_assistant.db.models import User

CONNECTORS = ("google", "microsoft", "notion")
CONNECTOR_LABELS = {"google": "Google", "microsoft": "Microsoft 365", "notion": "Notion"}
# Modules that declare tools; importing them fills the registry.
TOOL_MODULES = (
    "personal_assistant.agent.tools.reminders",
    "personal_assistant.agent.tools.tasks",
    "personal_assistant.agent.tools.goals",
    "personal_assistant.agent.tools.groceries",
    "personal_assistant.agent.tools.expenses",
    "personal_assistant.agent.tools.memory",
    "personal_assistant.agent.tools.focus",
    "personal_assistant.agent.tools.settings",
    "personal_assistant.agent.tools.connected",
    "personal_assistant.agent.tools.web",
)


class ToolFailed(Exception):
    """Raised by a tool with a short, user-presentable message (the failed ToolResult's data)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def connect_url(dashboard_url: str) -> str:
    """The dashboard page where a user connects an account (the reply to an unconnected tool)."""
    return f"{dashboard_url.rstrip('/')}/connections"


@dataclass(frozen=True)
class TurnScope:
    """What every tool call of one turn shares; each call gets its own session (its own short
    transaction) with the user attached to it: see ToolContext."""

    user: User  # as read when the turn started (detached)
    turn_id: uuid.UUID
    channel: str
    local_now: datetime
    timezone: str
    last_list: dict[str, Any] | None = None  # as it was when the turn started

    @property
    def user_id(self) -> uuid.UUID:
        return self.user.id

    async def context(self, session: AsyncSession) -> ToolContext:
        """The ToolContext of one call, in `session` (the user attached without a query)."""
        user = await session.merge(self.user, load=False)
        return ToolContext(session, user, self.turn_id, self.channel, self.local_now, self.timezone, self.last_list)


@dataclass
class ToolContext:
    """What a tool runs with: this call's session and the user, scoped to one turn."""

    session: AsyncSession
    user: User
    turn_id: uuid.UUID
    channel: str
    local_now: datetime
    timezone: str
    last_list: dict[str, Any] | None = None  # as it was when the turn started

    @property
    def user_id(self) -> uuid.UUID:
        return self.user.id


ToolImpl = Callable[[ToolContext, Any], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    args_model: type[BaseModel]
    impl: ToolImpl = field(compare=False)
    connector: str | None = None
    changes_data: bool = False

    def json_schema(self) -> dict[str, Any]:
        return _json_schema(self.args_model)

    def spec(self) -> ToolSpec:
        """The provider-facing declaration (built once: schema generation is not free)."""
        return _spec(self)


@cache
def _json_schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


@cache
def _spec(tool: Tool) -> ToolSpec:
    return ToolSpec(
        name=tool.name,
        description=tool.description,
        parameters=_json_schema(tool.args_model),
        connector=tool.connector,
        changes_data=tool.changes_data,
    )


class ToolRegistry:
    def __init__(self) -> None:
        self._tools: dict[str, Tool] = {}
        self._loaded = False

    def register(self, tool: Tool) -> Tool:
        if tool.connector is not None and tool.connector not in CONNECTORS:
            raise ValueError(f"unknown connector {tool.connector!r} for tool {tool.name!r}")
        existing = self._tools.get(tool.name)
        if existing is not None and existing.impl is not tool.impl:
            raise ValueError(f"tool {tool.name!r} registered twice")
        self._tools[tool.name] = tool
        return tool

    def tool(
        self,
        name: str,
        description: str,
        args_model: type[BaseModel],
        *,
        connector: str | None = None,
        changes_data: bool = False,
    ) -> Callable[[ToolImpl], ToolImpl]:
        """Decorator form of register()."""

        def decorate(impl: ToolImpl) -> ToolImpl:
            self.register(Tool(name, description, args_model, impl, connector, changes_data))
            return impl

        return decorate

    def load(self) -> ToolRegistry:
        """Import every tool family. A module that is missing (renamed, deleted, a typo in
        TOOL_MODULES) raises here, at start-up, instead of silently leaving its tools out."""
        if not self._loaded:
            for module in TOOL_MODULES:
                importlib.import_module(module)
            self._loaded = True
        return self

    def get(self, name: str) -> Tool | None:
        return self.load()._tools.get(name)

    def all(self) -> list[Tool]:
        return sorted(self.load()._tools.values(), key=lambda t: (t.connector or "", t.name))

    async def availability(self, session: AsyncSession, user_id: uuid.UUID) -> tuple[list[Tool], dict[str, str]]:
        """(enabled tools, {unavailable tool name: connector it needs}) for this user."""
        connected = await ConnectorStatusRepository(session, user_id).connected_providers()
        enabled: list[Tool] = []
        unavailable: dict[str, str] = {}
        for tool in self.all():
            if tool.connector is None or tool.connector in connected:
                enabled.append(tool)
            else:
                unavailable[tool.name] = tool.connector
        return enabled, unavailable


registry = ToolRegistry()
