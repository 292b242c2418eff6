"""The Runner: plan, execute, feed back, until an answer or the step limit.

No database transaction is open while the provider plans (an LLM call). Each tool call is
validated against the tool's argument model (a bad call becomes a failed ToolResult naming the
fields, which the provider sees and can correct), then runs scoped to the user in its OWN short
transaction with a timeout; a data-changing call is recorded as an AgentStep (with its key and
full result) in that same transaction, so its effect and its record commit together.

Tools that change data are idempotent per turn, even across processes: an identical call in the
same turn (same turn id: a turn run again after a crash, or a provider repeating itself) returns
the recorded result without running again. The other steps (plan, answer, errors) are kept in
`staged_steps` for the caller's final transaction.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog
from pydantic import ValidationError

from personal_assistant.agent.llm.base import Action, ToolCall, ToolResult, TurnContext
from personal_assistant.agent.planner import Planner
from personal_assistant.agent.repository import AgentStepRepository
from personal_assistant.agent.safety import crisis_reply, screen
from personal_assistant.agent.tools.registry import (
    CONNECTOR_LABELS,
    ToolFailed,
    ToolRegistry,
    TurnScope,
    connect_url,
    registry,
)
from personal_assistant.config import Settings, get_settings
from personal_assistant.core import clock
from personal_assistant.core.errors import AppError
from personal_assistant.db.models import AgentStep
from personal_assistant.db.session import session_scope
from personal_assistant.observability.metrics import TOOL_ERRORS

log = structlog.get_logger("agent.runner")

STEP_LIMIT_REPLY = "I got a bit tangled on that one. Could you send it again in a few words?"
STEP_LIMIT_PARTIAL_REPLY = "I did part of that, then got tangled. What's the one next thing you'd like me to do?"
ERROR_REPLY = "Sorry, something went wrong on my side. Could you try that again in a minute?"
SUMMARY_CHARS = 300


@dataclass
class TurnOutcome:
    text: str
    provider: str
    outcome: str  # answer|clarify|step_limit|error
    pending: dict[str, Any] | None = None
    results: list[ToolResult] = field(default_factory=list)
    tokens_in: int = 0
    tokens_out: int = 0
    steps: list[AgentStep] = field(default_factory=list)  # to write in the turn's final transaction


def summarize(result_data: Any, ok: bool) -> str:
    try:
        text = json.dumps(result_data, default=str, separators=(",", ":"))
    except (TypeError, ValueError):
        text = str(result_data)
    text = ("ok " if ok else "error ") + text
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"


_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def idempotency_key(tool: str, args: dict[str, Any], tz_name: str) -> str:
    """Identical calls in one turn share a key, even when two providers spell them differently:
    times compare as instants ("21:00" local == "21:00-05:00"), text ignores case and spacing."""

    def norm(value: Any) -> Any:
        if isinstance(value, str):
            if _ISO_TIME.match(value):
                try:
                    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
                except ValueError:
                    return value
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=clock.zone(tz_name))
                return clock.as_utc(moment).isoformat()
            return " ".join(value.casefold().split())
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        if isinstance(value, list):
            return [norm(v) for v in value]
        return value

    return f"{tool}:{json.dumps(norm(args), sort_keys=True, default=str)}"


def _app_error_message(exc: AppError) -> str:
    message = exc.message[:1].upper() + exc.message[1:]
    if exc.fields:
        message += " (" + "; ".join(f"{k}: {v}" for k, v in exc.fields.items()) + ")"
    return message if message.endswith((".", "?", "!", ")")) else message + "."


def _validation_fields(exc: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for err in exc.errors():
        name = ".".join(str(p) for p in err.get("loc", ())) or "arguments"
        fields.setdefault(name, err.get("msg", "invalid"))
    return fields


class Runner:
    def __init__(
        self,
        scope: TurnScope,
        *,
        tools: ToolRegistry = registry,
        max_steps: int = 6,
        tool_timeout_seconds: float = 10.0,
    ) -> None:
        self.scope = scope
        self.tools = tools
        self.max_steps = max_steps
        self.tool_timeout = tool_timeout_seconds
        self.staged_steps: list[AgentStep] = []
        self._step_index = 0
        self._done: dict[str, ToolResult] = {}

    @classmethod
    def for_settings(cls, scope: TurnScope, settings: Settings | None = None) -> Runner:
        settings = settings or get_settings()
        return cls(scope, max_steps=settings.agent_max_steps, tool_timeout_seconds=settings.agent_tool_timeout_seconds)

    async def run(self, ctx: TurnContext, planner: Planner) -> TurnOutcome:
        """Run one turn to its reply. Never raises for provider or tool failures."""
        outcome = await self._run(ctx, planner)
        outcome.steps = self.staged_steps
        return outcome

    async def _run(self, ctx: TurnContext, planner: Planner) -> TurnOutcome:
        results: list[ToolResult] = []
        tokens_in = tokens_out = 0
        provider_name = planner.provider.name
        for _ in range(self.max_steps):
            reason_before = getattr(planner.provider, "fallback_reason", None)
            try:
                planned = await planner.next_action(ctx, results)
            except Exception as exc:  # the last provider failed too: still answer the user
                log.exception("agent.plan_failed", turn_id=str(ctx.turn_id), provider=planner.provider.name)
                self._record(ctx, "error", planner.provider.name, error=type(exc).__name__)
                return TurnOutcome(ERROR_REPLY, planner.provider.name, "error", results=results,
                                   tokens_in=tokens_in, tokens_out=tokens_out)
            reason_after = getattr(planner.provider, "fallback_reason", None)
            if reason_after is not None and reason_after != reason_before and provider_name != planned.provider:
                # The primary failed inside this step; keep a trace of why the fallback answered.
                # (The chain hands the fallback only the results produced after the switch.)
                self._record(ctx, "error", provider_name, error=f"fallback: {reason_after}"[:300])
            provider_name = planned.provider
            action = planned.action
            tokens_in += action.tokens_in
            tokens_out += action.tokens_out
            if action.kind == "tools" and action.tool_calls:
                self._record(ctx, "plan", provider_name, latency_ms=planned.latency_ms,
                                   tokens_in=action.tokens_in, tokens_out=action.tokens_out,
                                   summary=", ".join(c.name for c in action.tool_calls)[:SUMMARY_CHARS])
                for call in action.tool_calls:
                    result = await self.execute(ctx, call, provider_name)
                    results.append(result)
                continue
            return await self._finish(ctx, action, provider_name, planned.latency_ms, results, tokens_in, tokens_out)
        self._record(ctx, "error", provider_name, error="step limit reached")
        changed = any(r.ok for r in results if (t := self.tools.get(r.call.name)) is not None and t.changes_data)
        return TurnOutcome(STEP_LIMIT_PARTIAL_REPLY if changed else STEP_LIMIT_REPLY, provider_name, "step_limit",
                           results=results, tokens_in=tokens_in, tokens_out=tokens_out)

    async def _finish(
        self,
        ctx: TurnContext,
        action: Action,
        provider_name: str,
        latency_ms: int,
        results: list[ToolResult],
        tokens_in: int,
        tokens_out: int,
    ) -> TurnOutcome:
        text = (action.text or "").strip() or STEP_LIMIT_REPLY
        kind = "clarify" if action.kind == "clarify" else "answer"
        self._record(ctx, "answer", provider_name, latency_ms=latency_ms, tokens_in=action.tokens_in,
                           tokens_out=action.tokens_out, summary=kind)
        pending = action.pending if kind == "clarify" else None
        return TurnOutcome(text, provider_name, kind, pending=pending, results=results,
                           tokens_in=tokens_in, tokens_out=tokens_out)

    async def execute(self, ctx: TurnContext, call: ToolCall, provider_name: str) -> ToolResult:
        """Validate, run (idempotently, in its own transaction, with a timeout) and record one call."""
        started = time.perf_counter()
        result, recorded = await self._execute(ctx, call, provider_name, started)
        if not recorded:  # failed, refused or repeated: its step waits for the final transaction
            self._record(ctx, "tool", provider_name, tool=call.name, arguments=call.args,
                         latency_ms=int((time.perf_counter() - started) * 1000), summary=result.summary,
                         error=None if result.ok else result.summary)
        return result

    async def _execute(
        self, ctx: TurnContext, call: ToolCall, provider_name: str, started: float
    ) -> tuple[ToolResult, bool]:
        """The call's result, and whether its step was already written with it."""
        # A failed result's data is a short, user-presentable message (agent/llm/offline/results.py).
        def failed(message: str) -> tuple[ToolResult, bool]:
            return ToolResult(call, False, message, summarize(message, False)), False

        if call.name in ctx.unavailable_tools:
            connector = ctx.unavailable_tools[call.name]
            label = CONNECTOR_LABELS.get(connector, connector)
            return failed(f"That needs your {label} account. Connect it at {connect_url(ctx.dashboard_url)}")
        tool = self.tools.get(call.name)
        if tool is None or call.name not in {spec.name for spec in ctx.tools}:
            return failed(f"There is no tool named {call.name!r}.")
        try:
            args = tool.args_model.model_validate(call.args or {})
        except ValidationError as exc:
            fields = _validation_fields(exc)
            return failed("Invalid arguments: " + "; ".join(f"{k}: {v}" for k, v in fields.items()))

        if tool.changes_data and any(screen(text) for text in _strings(call.args)):
            # The same guard as the provider chain's, on what a provider asks to store: crisis
            # words never become a task, a reminder or a memory, whoever planned it.
            log.warning("agent.tool_refused_crisis", tool=tool.name, turn_id=str(ctx.turn_id))
            return failed("I won't save that. If you're thinking about hurting yourself, please reach out now: "
                          + crisis_reply(ctx.country))

        key = idempotency_key(tool.name, args.model_dump(mode="json"), ctx.timezone)
        if tool.changes_data and key in self._done:
            first = self._done[key]
            return ToolResult(call, first.ok, first.data, first.summary), False

        try:
            async with session_scope() as session:
                steps = AgentStepRepository(session, self.scope.user_id)
                replayed = await steps.replayed(ctx.turn_id, key) if tool.changes_data else None
                recorded = True
                if replayed is not None:  # this turn ran before (a crash, a re-drive): same result
                    data = (replayed.result or {}).get("data")
                    result = ToolResult(call, True, data, replayed.result_summary or summarize(data, True))
                    recorded = False
                else:
                    tool_ctx = await self.scope.context(session)
                    data = await asyncio.wait_for(tool.impl(tool_ctx, args), timeout=self.tool_timeout)
                    result = ToolResult(call, True, data, summarize(data, True))
                    # Recorded with the effect it describes: both commit, or neither.
                    steps.stage(self._step(ctx, "tool", provider_name, tool=call.name, arguments=call.args,
                                           latency_ms=int((time.perf_counter() - started) * 1000),
                                           summary=result.summary, key=key if tool.changes_data else None,
                                           result={"data": data} if tool.changes_data else None))
        except TimeoutError:
            TOOL_ERRORS.labels(tool.name).inc()
            log.warning("agent.tool_timeout", tool=tool.name, turn_id=str(ctx.turn_id))
            return failed("That took too long, so I stopped. Nothing was changed.")
        except ToolFailed as exc:
            return failed(exc.message)
        except AppError as exc:
            return failed(_app_error_message(exc))
        except Exception as exc:
            TOOL_ERRORS.labels(tool.name).inc()
            log.exception("agent.tool_failed", tool=tool.name, turn_id=str(ctx.turn_id), error=type(exc).__name__)
            return failed("Something went wrong on my side with that. Nothing was changed.")
        if tool.changes_data:
            self._done[key] = result
        return result, recorded

    def _step(
        self,
        ctx: TurnContext,
        kind: str,
        provider: str,
        *,
        tool: str | None = None,
        arguments: dict[str, Any] | None = None,
        summary: str | None = None,
        error: str | None = None,
        latency_ms: int = 0,
        tokens_in: int = 0,
        tokens_out: int = 0,
        key: str | None = None,
        result: dict[str, Any] | None = None,
    ) -> AgentStep:
        step = AgentStep(
            id=uuid.uuid4(),
            user_id=self.scope.user_id,
            turn_id=ctx.turn_id,
            step_index=self._step_index,
            kind=kind,
            provider=provider,
            tool=tool,
            arguments=_jsonable(arguments),
            result_summary=summary,
            error=error,
            latency_ms=latency_ms,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            idempotency_key=key,
            result=_jsonable(result),
        )
        self._step_index += 1
        return step

    def _record(self, ctx: TurnContext, kind: str, provider: str, **fields: Any) -> None:
        """Keep a step for the turn's final transaction."""
        self.staged_steps.append(self._step(ctx, kind, provider, **fields))


def _strings(value: Any) -> list[str]:
    """Every string inside a tool call's arguments."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


def _jsonable(value: dict[str, Any] | None) -> dict[str, Any] | None:
    return json.loads(json.dumps(value, default=str)) if value is not None else None
