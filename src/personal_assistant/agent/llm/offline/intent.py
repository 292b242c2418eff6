"""Intents as data: one `Intent` object per thing a person can ask for.

An intent declares
- `patterns`: regular expressions over the normalized clause, with named groups as its slots
  (slot parsers for times, amounts and lists stay code: when.py, amounts.py, lists.py);
- `parse(m, match)`: turns a match into a `Reading` (tool calls, an answer, or a question), or
  None when the words do not really fit after all;
- `needs`: the context it requires, by name (see CONTEXT_CHECKS: "reminder_sent" when the
  assistant's last text was a fired reminder, "checkin_morning", "last_action", "pending"...);
- `tool`: the tool it calls (None when it answers by itself), `compose`: an optional reply
  composer for its results (else the tool's composer in replies.py);
- `priority`: higher is tried first (explicit command verbs outrank nouns of other domains;
  context intents outrank plain ones); `strong`: whether it may interrupt a pending question;
- `confidence`: how sure a match makes us (parse may lower it); below CONFIRM_BELOW the brain
  asks a confirming question that shows its reading instead of acting;
- `examples`: its corpus, each with the slots it must produce (tests and bench/understanding.py
  run every example through the whole brain).

Adding an intent is adding one such object to a family module under intents/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from personal_assistant.agent.llm.base import Action, TurnContext

CONFIRM_BELOW = 0.8  # readings less sure than this are confirmed first ("...? Reply yes")
REMINDER_KINDS = ("reminder", "urgent_reminder", "escalation")
REPLY_WINDOW_MINUTES = 120  # a reply this soon after a fired reminder is about that reminder


@dataclass(frozen=True)
class Example:
    """One corpus line: `text`, what it must become, and the context it is said in."""

    text: str
    intent: str  # the intent that must read it ("answer"/"clarify" kinds are intents too)
    calls: tuple[tuple[str, dict[str, Any]], ...] = ()  # (tool, expected slots), in order
    tz: str = "America/New_York"
    context: str | None = None  # a name from corpus.CONTEXTS
    kind: str | None = None  # expected Action kind when no calls: "answer" | "clarify"
    says: str | None = None  # a word the reply (or question) must contain


def ex(said: str, intent: str, /, *calls: tuple[str, dict[str, Any]] | str, tz: str = "America/New_York",
       context: str | None = None, expect: str | None = None, says: str | None = None, **slots: Any) -> Example:
    """ex("add milk", "add_groceries", items=["milk"]): one call whose tool is the intent's tool,
    or explicit (tool, slots) pairs for several calls; expect="answer"/"clarify" for no call."""
    pairs: list[tuple[str, dict[str, Any]]] = []
    for item in calls:
        if isinstance(item, tuple):
            pairs.append(item)
    if slots or (not pairs and expect is None):
        pairs.insert(0, ("", slots))
    return Example(said, intent, tuple(pairs), tz, context, expect, says)


@dataclass
class Reading:
    """What one clause means: an Action plus how sure we are and who read it."""

    intent: str
    action: Action
    confidence: float = 0.95
    # Shown in a confirming question ("Remind you to X at 5pm today?"); None: use the tool's words.
    summary: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)  # extra facts for the composer

    @property
    def calls(self):
        return self.action.tool_calls if self.action.kind == "tools" else []


Parse = Callable[[Any, "re.Match[str] | None"], "Reading | Action | None"]


@dataclass(frozen=True)
class Intent:
    name: str
    parse: Parse
    patterns: tuple[re.Pattern[str], ...] = ()
    tool: str | None = None
    priority: int = 50
    needs: str | None = None
    strong: bool = True
    confidence: float = 0.95
    compose: Callable[..., str] | None = None
    examples: tuple[Example, ...] = ()
    summary: str = ""  # one line for the README
    reports_as: str | None = None  # the intent name its readings carry (several intents, one meaning)

    @property
    def label(self) -> str:
        return self.reports_as or self.name


def patterns(*sources: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(source) for source in sources)


# --- context checks ----------------------------------------------------------------------------
def _age_minutes(ctx: TurnContext) -> float | None:
    last = ctx.last_outbound
    if last is None or last.sent_at is None or ctx.local_now is None:
        return None
    try:
        return (ctx.local_now - last.sent_at).total_seconds() / 60
    except TypeError:
        return None


def reminder_sent(ctx: TurnContext) -> bool:
    """The assistant's last text was a fired reminder (or its escalation) this reply may answer."""
    last = ctx.last_outbound
    if last is None or last.kind not in REMINDER_KINDS or last.ref_id is None:
        return False
    age = _age_minutes(ctx)
    return not last.answered or (age is not None and age <= REPLY_WINDOW_MINUTES)


def checkin(ctx: TurnContext, which: str) -> bool:
    last = ctx.last_outbound
    if last is None or last.kind != "checkin":
        return False
    key = last.key or ""
    is_which = key.endswith(":" + which) or (not key and which in (last.body or "").lower())
    if not is_which and not key:
        is_which = which == "morning" and "top 3" in (last.body or "").lower()
    age = _age_minutes(ctx)
    return is_which and (not last.answered or (age is not None and age <= 12 * 60))


def last_action(ctx: TurnContext) -> bool:
    action = ctx.last_action
    return isinstance(action, dict) and isinstance(action.get("actions"), list) and bool(action["actions"])


CONTEXT_CHECKS: dict[str, Callable[[TurnContext], bool]] = {
    "reminder_sent": reminder_sent,
    "checkin_morning": lambda ctx: checkin(ctx, "morning"),
    "checkin_evening": lambda ctx: checkin(ctx, "evening"),
    "last_action": last_action,
    "pending": lambda ctx: isinstance(ctx.pending, dict),
}


def context_holds(name: str | None, ctx: TurnContext) -> bool:
    if name is None:
        return True
    check = CONTEXT_CHECKS.get(name)
    return bool(check and check(ctx))
