"""From a message to a plan: pending question, context, clauses, readings, confidence.

`plan_turn(ctx)` is pure and deterministic, so the brain computes it on the first call of a turn
(to choose the tool calls) and again on the second (to write the one reply that covers every
clause, from the tool results):

1. An open question (ctx.pending) is answered first: "nevermind" drops it, "yes" confirms it, a
   missing slot is filled ("uh 5 i guess" after "when?"), but a text that is a request of its own
   is handled as one (the question never swallows it).
2. Whole-message context intents: a reply to the morning check-in, "undo", corrections,
   follow-ups (intents/context.py).
3. Otherwise the text is split into clauses (clauses.py) and each is read by the first intent,
   highest priority first, that matches it in its context (intents/__init__.py).
4. Readings sure enough (CONFIRM_BELOW) are acted on; a less sure one becomes one confirming
   question that shows the reading ("Remind you to ring the garage today at 5pm? Reply yes, or
   tell me what to change"), acted on when the answer is yes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from personal_assistant.agent.llm.base import Action, ToolCall, ToolResult, TurnContext
from personal_assistant.agent.llm.offline.clauses import split_clauses
from personal_assistant.agent.llm.offline.intent import CONFIRM_BELOW, Intent, Reading, context_holds
from personal_assistant.agent.llm.offline.intents import INTENTS, WHOLE
from personal_assistant.agent.llm.offline.message import Msg, say

FIX_PENALTY = 0.04  # per command word corrected by edit distance


@dataclass
class Plan:
    parts: list[Reading] = field(default_factory=list)
    prefix: str = ""  # said before everything else ("Okay, dropped that.")

    @property
    def confidence(self) -> float:
        return min((p.confidence for p in self.parts), default=0.2)

    def acting(self) -> list[Reading]:
        return [p for p in self.parts if p.calls and p.confidence >= CONFIRM_BELOW]

    def asking(self) -> list[Reading]:
        return [p for p in self.parts if p.action.kind == "clarify" or (p.calls and p.confidence < CONFIRM_BELOW)]

    def calls(self) -> list[ToolCall]:
        """The tool calls to run now, in clause order, each identical call once."""
        out: list[ToolCall] = []
        seen: set[str] = set()
        for part in self.acting():
            for tool_call in part.calls:
                key = f"{tool_call.name}:{sorted(tool_call.args.items(), key=lambda kv: kv[0])!r}"
                if key in seen:
                    continue
                seen.add(key)
                out.append(ToolCall(tool_call.name, dict(tool_call.args), id=f"offline-{len(out) + 1}"))
        return out


def _try(intent: Intent, m: Msg) -> Reading | None:
    if not context_holds(intent.needs, m.ctx):
        return None
    matches: list[re.Match[str] | None]
    if intent.patterns:
        matches = [found for pattern in intent.patterns if (found := pattern.search(m.low)) is not None]
    else:
        matches = [None]
    for found in matches:
        out = intent.parse(m, found)
        if out is None:
            continue
        reading = out if isinstance(out, Reading) else Reading(intent.label, out, intent.confidence)
        if m.fixes:
            reading.confidence = max(0.0, reading.confidence - FIX_PENALTY * m.fixes)
        return reading
    return None


def read_clause(m: Msg, *, strong_only: bool = False) -> Reading | None:
    """The reading of one clause by the first intent that understands it, or None."""
    if not m.low and not m.emoji:
        return None
    for intent in INTENTS:
        if strong_only and not intent.strong:
            continue
        reading = _try(intent, m)
        if reading is not None:
            return reading
    return None


def read_whole(m: Msg) -> Reading | None:
    for intent in WHOLE:
        reading = _try(intent, m)
        if reading is not None:
            return reading
    return None


def plan_turn(ctx: TurnContext) -> Plan:
    """The plan of this turn (see module doc). Pure: the same context gives the same plan."""
    from personal_assistant.agent.llm.offline import pending
    from personal_assistant.agent.llm.offline import unknown as fallback

    whole = Msg.of(ctx)
    if not whole.low and not whole.emoji:
        return Plan([Reading("empty", say("I'm here! " + fallback.CAPABILITIES), 0.9)])
    if isinstance(ctx.pending, dict) and ctx.pending:
        resumed = pending.resume(whole, ctx.pending)
        if resumed is not None:
            return resumed
    reading = read_whole(whole)
    if reading is not None:
        return Plan([reading])
    texts = split_clauses(ctx.text or "", reads=lambda text: _reads(ctx, text))
    if len(texts) <= 1:
        reading = read_clause(whole)
        # After an open question went unanswered, the fallback asks nothing more.
        return Plan([reading if reading is not None else fallback.unknown(whole, question=not ctx.pending)])
    parts: list[Reading] = []
    for index, text in enumerate(texts):
        m = Msg.of(ctx, text, index=index, count=len(texts), whole=whole.low)
        reading = read_clause(m)
        parts.append(reading if reading is not None else fallback.unknown(m))
    useful = [p for p in parts if p.intent not in ("small_talk", "unknown")]
    return Plan(useful or parts[:1])


def _reads(ctx: TurnContext, text: str) -> bool:
    reading = read_clause(Msg.of(ctx, text, index=1, count=2))
    return reading is not None and reading.intent not in ("statement",)


def first_action(ctx: TurnContext) -> Action:
    """The Action for the first call of a turn: the tool calls to run, or the reply itself."""
    plan = plan_turn(ctx)
    tool_calls = plan.calls()
    if tool_calls:
        return Action("tools", tool_calls=tool_calls, confidence=plan.confidence)
    action = final_action(ctx, [], plan)
    action.confidence = plan.confidence
    return action


def final_action(ctx: TurnContext, results: list[ToolResult], plan: Plan | None = None) -> Action:
    """The reply once the tools ran: one text covering every clause, or the one question left."""
    from personal_assistant.agent.llm.offline import replies

    plan = plan or plan_turn(ctx)
    texts = replies.compose_plan(ctx, plan, results)
    asking = plan.asking()
    if not asking:
        return Action("answer", text=replies.join(ctx, [plan.prefix, *texts]))
    question, pending_state = replies.question(ctx, asking[0])
    text = replies.join(ctx, [plan.prefix, *texts, question], question=True)
    return Action("clarify", text=text, pending=pending_state)
