"""The useful fallback: say what was understood and offer two concrete options.

Never a generic menu for a real sentence: a time in it offers a reminder, an amount offers an
expense, other words offer a note or a task (each one reply away). Nothing is stored unasked.
"""

from __future__ import annotations

import re

from personal_assistant.agent.llm.offline.amounts import find_amount
from personal_assistant.agent.llm.offline.intent import Reading
from personal_assistant.agent.llm.offline.message import Msg, ask, say
from personal_assistant.agent.llm.offline.style import clip, money, second_person, when_label
from personal_assistant.agent.llm.offline.when import find_when

CAPABILITIES = (
    "I can do reminders, tasks, groceries, expenses, goals, notes and focus timers. Try 'remind me to call mom at 7pm'."
)
TWO_OPTIONS = (
    "Sorry, I didn't catch that. I do reminders, tasks and lists: try 'remind me to call mom at 7pm' or 'add milk "
    "to groceries'."
)
_VOWELS = re.compile(r"[aeiouy]")
# Letter pairs of keyboard mashing that English words almost never contain ("asdf", "qwerty").
_MASH = re.compile(r"qw|sd|df|fg|hj|jk|kl|zx|xc|cv|vb|bn|wq|fd|gf|kj|lk|xz|jh|qz|zq|vq|qj|jq")


def _wordy(m: Msg) -> list[str]:
    words = re.findall(r"[a-z']{2,}", m.low)
    return [w for w in words if _VOWELS.search(w) and not re.fullmatch(r"(.)\1+", w)]


def unknown(m: Msg, *, question: bool = True) -> Reading:
    """A reading for a clause no intent understood (`question` False: right after questions
    that went unanswered, no new question)."""
    from personal_assistant.agent.llm.offline.intent import checkin

    if m.count == 1 and (checkin(m.ctx, "evening") or checkin(m.ctx, "morning")):
        # an answer to a check-in that is not a list: a kind word, nothing stored
        return Reading("unknown", say(m.voice.pick("checkin-ack", [
            "Thanks for telling me. Go easy on yourself tonight. I'm here tomorrow.",
            "Got it, thanks for checking in. One thing at a time.",
        ])), 0.6)
    words = _wordy(m)
    if len(_MASH.findall(m.low)) >= 2:
        words = []
    if m.count > 1:
        return Reading("unknown", say(f"I didn't get '{clip(m.own(0, len(m.norm)), 40)}'."), 0.3)
    if len(words) < 2 or len(words) < len(m.low.split()) / 2 or not question:
        return Reading("unknown", say(TWO_OPTIONS), 0.2)
    content = m.own(0, len(m.norm))
    note = {"name": "remember", "args": {"content": content[:2000], "kind": "note"}}
    task = {"name": "add_task", "args": {"title": clip(content, 200)}}
    when = find_when(m.norm, m.now, day_parts=m.ctx_day_parts)
    if when is not None and when.has_time and when.at > m.now:
        remind = {"name": "create_reminder", "args": {"text": clip(content, 200), "due_at": when.iso}}
        label = when_label(when.at, m.now)
        text = f"Want a reminder {label} about this? Reply yes, or 'note' to just save it."
        return Reading("unknown", ask(text, "confirm", {}, "confirm", calls=[remind], options={"note": [note]}), 0.3)
    amount = find_amount(m.norm, m.ctx.currency)
    if amount is not None:
        expense = {"name": "log_expense", "args": {"amount": amount.amount, "currency": amount.currency,
                                                   "note": clip(content, 300)}}
        text = f"Log {money(amount.amount, amount.currency)} as spending? Reply yes, or 'note' to just save it."
        return Reading("unknown", ask(text, "confirm", {}, "confirm", calls=[expense], options={"note": [note]}), 0.3)
    shown = clip(second_person(content), 50)
    text = f"I didn't catch a request in '{shown}'. Save it as a note, or add it as a task? Reply 'note' or 'task'."
    return Reading("unknown", ask(text, "confirm", {}, "choice", options={"note": [note], "task": [task]}), 0.25)
