"""Google Gemini through google-genai: native function calling, our Runner executes the tools.

- One async client per process (`client.aio`), base URL and timeout (milliseconds!) from settings.
- Automatic function calling is off: declarations only (types.Tool(function_declarations=...)).
- The model's content is passed back verbatim on the next step (it carries thought signatures),
  followed by our function responses with their call ids.
- Calls go through the resilience layer (core/resilience.py) with Gemini's own Guard: transient
  failures (429, 5xx, timeouts, connection errors) are retried with bounded backoff, each attempt
  through the "gemini" circuit breaker (Redis-shared when REDIS_URL is set). Anything that still
  fails becomes ProviderUnavailable, and the fallback chain takes over.
- Card numbers and one-time codes are masked (reversibly, per turn) before any text leaves.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from string import Template
from typing import Any

import structlog
from google import genai
from google.genai import errors, types

from personal_assistant.agent.llm.base import (
    Action,
    ProviderUnavailable,
    ToolCall,
    ToolResult,
    ToolSpec,
    TurnContext,
)
from personal_assistant.agent.llm.masking import Masker
from personal_assistant.agent.tools.registry import CONNECTOR_LABELS, connect_url
from personal_assistant.config import Settings
from personal_assistant.core import resilience
from personal_assistant.observability.metrics import GEMINI_CIRCUIT_OPEN, LLM_LATENCY, LLM_TOKENS

log = structlog.get_logger("agent.gemini")

CIRCUIT = "gemini"


@lru_cache
def system_template() -> Template:
    text = resources.files("personal_assistant.agent").joinpath("prompts/system.txt").read_text("utf-8")
    return Template(text)


def inline_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Resolve local $refs and drop titles: a plain schema every Gemini API version accepts."""
    defs = schema.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node and isinstance(node["$ref"], str) and node["$ref"].startswith("#/$defs/"):
                return walk(defs[node["$ref"].removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items() if k not in ("$defs", "title")}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


_declarations: dict[tuple[str, str, int], types.FunctionDeclaration] = {}


def _declaration(spec: ToolSpec) -> types.FunctionDeclaration:
    # Specs are built once per tool (registry cache), so their identity keys this cache.
    key = (spec.name, spec.description, id(spec.parameters))
    declaration = _declarations.get(key)
    if declaration is None:
        declaration = types.FunctionDeclaration(
            name=spec.name, description=spec.description, parameters_json_schema=inline_schema(spec.parameters)
        )
        _declarations[key] = declaration
    return declaration


def _not_a_breaker_failure(exc: BaseException) -> bool:
    # Our own bad requests (4xx other than 429) say nothing about Gemini's health.
    return isinstance(exc, errors.ClientError) and exc.code != 429


def _breaker_failure(exc: BaseException) -> bool:
    return resilience.is_transient(exc) and not _not_a_breaker_failure(exc)


@dataclass
class _Turn:
    masker: Masker = field(default_factory=Masker)
    steps: list[tuple[types.Content, int]] = field(default_factory=list)  # (model content, calls made)
    touched: float = field(default_factory=time.monotonic)


class GeminiProvider:
    name = "gemini"

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None = None,
        timeout_seconds: float = 20.0,
        redis_url: str | None = None,
        app_name: str = "your assistant",
        attempts: int = 3,
        backoff_initial: float = 0.25,
        backoff_max: float = 2.0,
        breaker_threshold: int = 5,
        breaker_ttl: float = 30.0,
    ) -> None:
        # v1beta: parametersJsonSchema and thought signatures are documented there first (the SDK's
        # 3.x default is v1; LIBRARY_NOTES §1). The timeout is in milliseconds.
        http_options = types.HttpOptions(timeout=int(timeout_seconds * 1000), base_url=base_url, api_version="v1beta")
        self._client = genai.Client(api_key=api_key, http_options=http_options)
        self.model = model
        self.app_name = app_name
        self._attempts = attempts
        # Gemini's own guard: its thresholds are per provider instance (tests build several, like
        # processes), the request timeout is the SDK's, and the deadline leaves every attempt its
        # full timeout as before. No per-user limit here: the daily token quota bounds a user.
        self._guard = resilience.Guard(
            redis_url=redis_url,
            policy=resilience.Policy(
                threshold=breaker_threshold,
                ttl_seconds=breaker_ttl,
                deadline_seconds=attempts * (timeout_seconds + backoff_max),
                backoff_initial=backoff_initial,
                backoff_max=backoff_max,
                user_rate=None,
            ),
        )
        self._turns: OrderedDict[uuid.UUID, _Turn] = OrderedDict()

    @classmethod
    def from_settings(cls, settings: Settings) -> GeminiProvider:
        return cls(
            api_key=settings.gemini_api_key or "",
            model=settings.gemini_model,
            base_url=settings.gemini_base_url,
            timeout_seconds=settings.gemini_timeout_seconds,
            redis_url=settings.redis_url,
            app_name=settings.app_name,
        )

    # turn state ---------------------------------------------------------------------------
    def _turn(self, turn_id: uuid.UUID) -> _Turn:
        turn = self._turns.get(turn_id)
        if turn is None:
            turn = self._turns[turn_id] = _Turn()
            while len(self._turns) > 2000:  # turns that ended without end_turn (crashes)
                self._turns.popitem(last=False)
        turn.touched = time.monotonic()
        return turn

    def end_turn(self, turn_id: uuid.UUID) -> None:
        self._turns.pop(turn_id, None)

    # planning -----------------------------------------------------------------------------
    async def plan(self, ctx: TurnContext, results: list[ToolResult]) -> Action:
        turn = self._turn(ctx.turn_id)
        contents = self._contents(ctx, results, turn)
        config = types.GenerateContentConfig(
            system_instruction=self._system_instruction(ctx, turn.masker),
            tools=self._tools(ctx),  # type: ignore[arg-type]
            automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
            temperature=0.4,
            max_output_tokens=600,
        )
        response = await self._generate(contents, config)
        return self._action(response, turn)

    async def summarize(self, text: str, *, instruction: str, max_output_tokens: int = 300,
                        deadline_seconds: float | None = None) -> str:
        """One plain completion outside a turn (tools use it: e.g. a video's transcript), through
        the same client, guard and breaker as planning. Raises ProviderUnavailable."""
        config = types.GenerateContentConfig(
            system_instruction=instruction,
            temperature=0.3,
            max_output_tokens=max_output_tokens,
            thinking_config=types.ThinkingConfig(thinking_budget=0),  # a summary needs no thinking tokens
        )
        contents = [types.Content(role="user", parts=[types.Part.from_text(text=text)])]
        response = await self._generate(contents, config, attempts=1, deadline_seconds=deadline_seconds)
        usage = response.usage_metadata
        LLM_TOKENS.labels(self.name, "in").inc(int(getattr(usage, "prompt_token_count", 0) or 0))
        LLM_TOKENS.labels(self.name, "out").inc(int(getattr(usage, "candidates_token_count", 0) or 0))
        answer = (response.text or "").strip()
        if not answer:
            raise ProviderUnavailable(CIRCUIT, "error", "empty response")
        return answer

    async def _generate(self, contents: list[types.Content], config: types.GenerateContentConfig, *,
                        attempts: int | None = None, deadline_seconds: float | None = None):
        started = time.perf_counter()
        try:
            response = await self._guard.call(
                CIRCUIT,
                lambda: self._client.aio.models.generate_content(model=self.model, contents=contents, config=config),
                attempts=attempts or self._attempts,
                failure=_breaker_failure,
                timeout=deadline_seconds,
            )
        except ProviderUnavailable as exc:
            if exc.reason == "circuit_open":
                GEMINI_CIRCUIT_OPEN.set(1)
                raise ProviderUnavailable(CIRCUIT, exc.reason, "circuit breaker open") from exc
            cause = exc.__cause__
            if isinstance(cause, errors.APIError):
                raise ProviderUnavailable(CIRCUIT, exc.reason, f"gemini error {cause.code}") from exc
            raise ProviderUnavailable(CIRCUIT, exc.reason, f"gemini unreachable: {type(cause).__name__}") from exc
        except errors.APIError as exc:  # not worth retrying (400, 401, 403...): the fallback answers
            raise ProviderUnavailable(CIRCUIT, "error", f"gemini error {exc.code}") from exc
        finally:
            LLM_LATENCY.labels(self.name).observe(time.perf_counter() - started)
        GEMINI_CIRCUIT_OPEN.set(0)  # a call went through: the breaker is closed (again)
        return response

    def _action(self, response: types.GenerateContentResponse, turn: _Turn) -> Action:
        usage = response.usage_metadata
        tokens_in = int(getattr(usage, "prompt_token_count", 0) or 0)
        tokens_out = int(getattr(usage, "candidates_token_count", 0) or 0) + int(
            getattr(usage, "thoughts_token_count", 0) or 0
        )
        LLM_TOKENS.labels(self.name, "in").inc(tokens_in)
        LLM_TOKENS.labels(self.name, "out").inc(tokens_out)
        if not response.candidates or response.candidates[0].content is None:
            raise ProviderUnavailable(CIRCUIT, "error", "empty response")
        content = response.candidates[0].content
        calls = [p.function_call for p in content.parts or [] if p.function_call is not None]
        if calls:
            turn.steps.append((content, len(calls)))
            tool_calls = [
                ToolCall(
                    name=call.name or "",
                    args=turn.masker.unmask_value(dict(call.args or {})),
                    id=call.id or f"call-{index}",
                )
                for index, call in enumerate(calls)
            ]
            return Action("tools", tool_calls=tool_calls, tokens_in=tokens_in, tokens_out=tokens_out, raw=content)
        text = "".join(p.text or "" for p in content.parts or [] if p.text and not p.thought).strip()
        if not text:
            raise ProviderUnavailable(CIRCUIT, "error", "empty response")
        return Action("answer", text=turn.masker.unmask(text), tokens_in=tokens_in, tokens_out=tokens_out, raw=content)

    # request building -----------------------------------------------------------------------
    def _contents(self, ctx: TurnContext, results: list[ToolResult], turn: _Turn) -> list[types.Content]:
        mask = turn.masker.mask
        contents: list[types.Content] = []
        for direction, body in ctx.history:
            role = "user" if direction == "inbound" else "model"
            part = types.Part.from_text(text=mask(body))
            if contents and contents[-1].role == role:
                contents[-1].parts = [*(contents[-1].parts or []), part]
            else:
                contents.append(types.Content(role=role, parts=[part]))
        user_part = types.Part.from_text(text=mask(ctx.text))
        if contents and contents[-1].role == "user":
            contents[-1].parts = [*(contents[-1].parts or []), user_part]
        else:
            contents.append(types.Content(role="user", parts=[user_part]))
        if contents[0].role != "user":  # a conversation starts with the user
            contents.insert(0, types.Content(role="user", parts=[types.Part.from_text(text="(earlier)")]))
        offset = 0
        for model_content, n_calls in turn.steps:
            step_results = results[offset:offset + n_calls]
            offset += n_calls
            contents.append(model_content)
            contents.append(
                types.Content(
                    role="user",
                    parts=[
                        types.Part(
                            function_response=types.FunctionResponse(
                                id=result.call.id,
                                name=result.call.name,
                                response=turn.masker.mask_value(
                                    {"result": result.data} if result.ok else {"error": result.data}
                                ),
                            )
                        )
                        for result in step_results
                    ],
                )
            )
        return contents

    def _tools(self, ctx: TurnContext) -> list[types.Tool] | None:
        if not ctx.tools:
            return None
        return [types.Tool(function_declarations=[_declaration(spec) for spec in ctx.tools])]

    def _system_instruction(self, ctx: TurnContext, masker: Masker) -> str:
        memories = "\n".join(f"- {masker.mask(m)}" for m in ctx.memories) or "- (nothing yet)"
        pending = ""
        if ctx.pending:
            pending = "Open question from your last message, which this message may answer: " + masker.mask(
                json.dumps(ctx.pending, default=str)
            )
        unavailable = ""
        if ctx.unavailable_tools:
            needs = sorted({CONNECTOR_LABELS.get(c, c) for c in ctx.unavailable_tools.values()})
            names = ", ".join(sorted(ctx.unavailable_tools))
            unavailable = (
                f"Not connected yet: {names} (needs {', '.join(needs)}). If the user asks for these, say kindly "
                f"that they can connect the account at {connect_url(ctx.dashboard_url)} and it will work."
            )
        return system_template().safe_substitute(
            app_name=self.app_name,
            local_time=ctx.local_now.strftime("%A %Y-%m-%d %H:%M"),
            timezone=ctx.timezone,
            user_name=ctx.user_name or "not given",
            currency=ctx.currency,
            memories=memories,
            pending=pending,
            unavailable=unavailable,
        ).strip()
