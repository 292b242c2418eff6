"""The fallback chain: Gemini when configured, the offline brain otherwise.

Gemini is skipped when there is no key or the user's daily token quota is spent, and abandoned
within the same turn when it raises (errors after retries, timeouts, an open circuit breaker):
the offline brain then starts the turn over from the user's text, so the user always gets an
answer. `ChainTurn.name` says which provider answered.

Cost-aware routing (AGENT_ROUTING, default offline_first): with Gemini configured, the offline
brain reads the text first; when it is sure enough (Action.confidence >= ROUTE_ABOVE) it answers
the whole turn at 0 tokens, and Gemini takes only the rest. llm_first asks Gemini every turn.

Safety comes before every provider: the first call of a turn screens the user's text
(agent/safety.py), and crisis language gets the crisis line at once ("safety" answered): no
provider sees the text, no tool runs, nothing is stored.
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog

from personal_assistant.agent.llm.base import Action, LLMProvider, ProviderUnavailable, ToolResult, TurnContext
from personal_assistant.agent.safety import crisis_reply, screen
from personal_assistant.config import Settings, get_settings

log = structlog.get_logger("agent.fallback")
# Sure enough to answer without the LLM (the offline brain's confidences: offline/intent.py).
ROUTE_ABOVE = 0.9


class ChainTurn:
    """The providers of one turn. Not shared between turns."""

    def __init__(
        self,
        primary: LLMProvider | None,
        fallback: LLMProvider,
        *,
        tokens_left: int | None,
        routing: str = "offline_first",
    ) -> None:
        self._primary = primary
        self._routing = routing
        self.routed: str | None = None  # "offline" when routing kept the turn away from the LLM
        self._fallback = fallback
        self._tokens_left = tokens_left
        self._using_primary = primary is not None and (tokens_left is None or tokens_left > 0)
        self._offset = 0  # results produced before the switch belong to the abandoned provider
        self.fallback_reason: str | None = None
        self.crisis = False  # the safety screen answered this turn
        if primary is not None and not self._using_primary:
            self.fallback_reason = "quota"

    @property
    def name(self) -> str:
        if self.crisis:
            return "safety"
        return (self._primary if self._using_primary and self._primary else self._fallback).name

    async def plan(self, ctx: TurnContext, results: list[ToolResult]) -> Action:
        if not results:
            found = screen(ctx.text)
            if found is not None:
                self.crisis = True
                log.warning("agent.crisis_screen", turn_id=str(ctx.turn_id), kind=found.kind, rule=found.rule)
                return Action("answer", text=crisis_reply(ctx.country), confidence=1.0)
            if self._using_primary and self._routing == "offline_first":
                offline = await self._fallback.plan(ctx, results)
                if offline.confidence is not None and offline.confidence >= ROUTE_ABOVE:
                    self._using_primary = False
                    self.routed = "offline"
                    log.info("agent.routed_offline", turn_id=str(ctx.turn_id), confidence=offline.confidence)
                    self.end_primary(ctx)
                    return offline
        if self._using_primary and self._primary is not None:
            try:
                action = await self._primary.plan(ctx, results)
            except ProviderUnavailable as exc:
                self._switch(ctx, results, str(exc) or "unavailable")
            except Exception as exc:  # any provider bug or transport error: fall back, never fail the turn
                log.warning("agent.provider_error", provider=self._primary.name, error=type(exc).__name__,
                            turn_id=str(ctx.turn_id))
                self._switch(ctx, results, type(exc).__name__)
            else:
                # The quota is checked when the turn starts: a turn Gemini began, it finishes.
                return action
        return await self._fallback.plan(ctx, results[self._offset:])

    def _switch(self, ctx: TurnContext, results: list[ToolResult], reason: str) -> None:
        self._using_primary = False
        self._offset = len(results)
        self.fallback_reason = reason
        log.info("agent.fallback", turn_id=str(ctx.turn_id), reason=reason[:80])
        self.end_primary(ctx)

    def end_primary(self, ctx: TurnContext) -> None:
        end = getattr(self._primary, "end_turn", None)
        if end is not None:
            end(ctx.turn_id)


class ProviderChain:
    """Process-wide providers (clients, breaker) from which each turn takes a ChainTurn."""

    def __init__(
        self,
        primary: LLMProvider | None,
        fallback: LLMProvider,
        *,
        daily_quota: int | None = None,
        routing: str = "llm_first",  # default_chain() passes AGENT_ROUTING (offline_first by default)
    ) -> None:
        self.primary = primary
        self.fallback = fallback
        self.daily_quota = daily_quota
        self.routing = routing

    def start_turn(self, *, tokens_used_today: int = 0) -> ChainTurn:
        tokens_left = None if self.daily_quota is None else self.daily_quota - tokens_used_today
        return ChainTurn(self.primary, self.fallback, tokens_left=tokens_left, routing=self.routing)


class FixedProvider:
    """Last resort when the offline brain cannot be loaded: a kind acknowledgement."""

    name = "fixed"

    async def plan(self, ctx: TurnContext, results: list[ToolResult]) -> Action:
        return Action("answer", text="Got it. I'm here and I'll get back to you.")


def offline_brain() -> LLMProvider:
    try:
        from personal_assistant.agent.llm.offline.brain import OfflineBrain
    except ImportError:
        log.warning("agent.offline_brain_missing")
        return FixedProvider()
    return OfflineBrain()


_chains: dict[tuple[Any, ...], ProviderChain] = {}


def default_chain(settings: Settings | None = None) -> ProviderChain:
    """The chain for the current settings (cached per configuration and event loop)."""
    settings = settings or get_settings()
    try:
        loop_id = id(asyncio.get_running_loop())
    except RuntimeError:
        loop_id = 0
    key = (
        settings.gemini_api_key,
        settings.gemini_base_url,
        settings.gemini_model,
        settings.gemini_timeout_seconds,
        settings.gemini_daily_token_quota,
        settings.redis_url,
        settings.agent_routing,
        loop_id,
    )
    chain = _chains.get(key)
    if chain is None:
        primary: LLMProvider | None = None
        if settings.gemini_api_key:
            from personal_assistant.agent.llm.gemini import GeminiProvider

            primary = GeminiProvider.from_settings(settings)
        chain = ProviderChain(primary, offline_brain(), daily_quota=settings.gemini_daily_token_quota,
                              routing=settings.agent_routing)
        _chains.clear()  # one configuration at a time; old clients are dropped
        _chains[key] = chain
    return chain
