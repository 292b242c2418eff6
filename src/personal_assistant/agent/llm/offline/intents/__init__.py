"""Every intent of the offline brain, by family. Adding an intent is adding one Intent object to
one of these modules (see intent.py); this list picks it up."""

from __future__ import annotations

from personal_assistant.agent.llm.offline.intent import Intent
from personal_assistant.agent.llm.offline.intents import (
    connectors,
    context,
    focus,
    groceries,
    memory,
    money,
    reminders,
    settings,
    talk,
    tasks,
    web,
)

FAMILIES = (reminders, tasks, groceries, money, memory, focus, settings, talk, web, connectors)
# Tried on each clause, highest priority first (a stable sort keeps the family order on ties).
INTENTS: tuple[Intent, ...] = tuple(
    sorted((intent for family in FAMILIES for intent in family.INTENTS), key=lambda i: -i.priority)
)
# Tried on the whole message first: they need it unsplit (a numbered list, "not friday, saturday").
WHOLE: tuple[Intent, ...] = tuple(sorted(context.WHOLE, key=lambda i: -i.priority))
ALL: tuple[Intent, ...] = WHOLE + INTENTS
BY_NAME: dict[str, Intent] = {intent.name: intent for intent in ALL}
