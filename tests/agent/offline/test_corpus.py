"""The per-intent corpus: every intent's examples (offline/intents/*.py), each also in messier
forms (leading filler, "pls", emoji), read by the whole brain in the example's time zone and
context, asserting the intent and every slot. See offline/corpus.py for the conventions."""

from __future__ import annotations

import collections

import pytest

from personal_assistant.agent.llm.offline import corpus
from personal_assistant.agent.llm.offline.intents import ALL

CASES = [(intent, example, text) for intent, example in corpus.all_examples() for text in corpus.variants(example)]


@pytest.mark.parametrize(("intent", "example", "text"), CASES,
                         ids=[f"{i.name}:{t[:40]}" for i, _, t in CASES])
def test_example(intent, example, text) -> None:
    why = corpus.check(example, text, owner=intent)
    assert why is None, why


def test_every_intent_has_at_least_30_examples() -> None:
    counts = collections.Counter(intent.name for intent, _, _ in CASES)
    hand = collections.Counter(intent.name for intent, _ in corpus.all_examples())
    for intent in ALL:
        assert counts[intent.name] >= 30, (intent.name, counts[intent.name])
        assert hand[intent.name] >= 8, (intent.name, hand[intent.name])


def test_the_corpus_covers_several_time_zones_and_contexts() -> None:
    zones = {example.tz for _, example in corpus.all_examples()}
    contexts = {example.context for _, example in corpus.all_examples()}
    assert len(zones) >= 6
    assert {"reminder_sent", "escalation", "checkin_morning", "checkin_evening", "created_reminder",
            "added_groceries", "logged_expense", "added_task", "broke_down"} <= contexts


def test_intents_are_data() -> None:
    """Each intent is one object naming its patterns, context, tool, priority and corpus."""
    names = [intent.name for intent in ALL]
    assert len(names) == len(set(names))
    for intent in ALL:
        assert intent.summary and intent.examples
        assert intent.needs is None or intent.needs in ("reminder_sent", "checkin_morning", "checkin_evening",
                                                        "last_action", "pending")
