"""Clarifications: a missing slot becomes one question, and the next message completes it."""

from __future__ import annotations

import json

from tests.agent.offline.conftest import make_ctx
from tests.agent.offline.helpers import check, plan


def ask_then(first: str, second: str, **kw):
    question = plan(make_ctx(first, **kw))
    assert question.kind == "clarify", question
    json.dumps(question.pending)  # the agent stores it as JSON between messages
    return question, plan(make_ctx(second, pending=question.pending, **kw))


def test_missing_time_is_asked_and_the_next_message_completes_it() -> None:
    question, answer = ask_then("remind me to call mom", "7pm")
    assert question.text and "when" in question.text.lower()
    assert question.pending == {"tool": "create_reminder", "args": {"text": "call mom"}, "missing": "due_at"}
    check(answer, ("create_reminder", {"text": "call mom", "due_at": "2026-03-07T19:00:00-05:00"}))


def test_pending_from_the_brief_is_completed_by_7pm() -> None:
    pending = {"tool": "create_reminder", "args": {"text": "call mom"}, "missing": "due_at"}
    check(
        plan(make_ctx("7pm", pending=pending)),
        ("create_reminder", {"text": "call mom", "due_at": "2026-03-07T19:00:00-05:00"}),
    )


def test_time_answers_of_several_forms() -> None:
    pending = {"tool": "create_reminder", "args": {"text": "call mom"}, "missing": "due_at"}
    expected = {
        "tomorrow at 9": "2026-03-08T09:00:00-04:00",
        "in 10 minutes": "2026-03-07T14:40:00-05:00",
        "7": "2026-03-07T19:00:00-05:00",
        "at 8:15pm please": "2026-03-07T20:15:00-05:00",
        "monday": "2026-03-09T09:00:00-04:00",
    }
    for text, due in expected.items():
        check(plan(make_ctx(text, pending=pending)), ("create_reminder", {"text": "call mom", "due_at": due}))


def test_recurring_answer_keeps_the_rule() -> None:
    _, answer = ask_then("remind me to water the plants", "every sunday at 10am")
    check(answer, ("create_reminder", {"text": "water the plants", "rrule": "FREQ=WEEKLY;BYDAY=SU"}))


def test_missing_text_is_asked_and_completed() -> None:
    question, answer = ask_then("remind me at 5", "take the bins out")
    assert question.pending["missing"] == "text"
    check(answer, ("create_reminder", {"text": "take the bins out", "due_at": "2026-03-07T17:00:00-05:00"}))


def test_missing_amount_is_asked_and_completed() -> None:
    question, answer = ask_then("paid the electric bill", "$84.20")
    assert "how much" in question.text.lower()
    check(answer, ("log_expense", {"amount": "84.20", "note": "electric bill", "category": "housing"}))
    _, bare = ask_then("paid the electric bill", "84")
    check(bare, ("log_expense", {"amount": "84.00", "currency": "USD"}))


def test_unknown_zone_is_asked_again_then_a_city_completes_it() -> None:
    _, answer = ask_then("set my timezone to Narnia", "Denver")
    check(answer, ("update_settings", {"timezone": "America/Denver"}))


def test_something_new_abandons_the_question() -> None:
    _, answer = ask_then("remind me to call mom", "add milk and eggs to groceries")
    check(
        answer, ("add_groceries", {"items": [{"name": "milk", "quantity": None}, {"name": "eggs", "quantity": None}]})
    )
    _, answer = ask_then("remind me to call mom", "spent $5 on coffee")
    check(answer, ("log_expense", {"amount": "5.00"}))
    _, answer = ask_then("remind me to call mom", "remind me to stretch at 4pm")
    check(answer, ("create_reminder", {"text": "stretch"}))


def test_never_mind_drops_the_question() -> None:
    _, answer = ask_then("remind me to call mom", "never mind")
    assert answer.kind == "answer" and answer.pending is None
    assert "dropped" in answer.text.lower() or "skipped" in answer.text.lower()


def test_an_unhelpful_answer_is_asked_once_more_then_let_go() -> None:
    _, again = ask_then("remind me to call mom", "hmm whenever really")
    assert again.kind == "clarify"
    assert again.pending["attempts"] == 1 and again.pending["args"] == {"text": "call mom"}
    assert "7pm" in again.text  # the second question shows an example
    final = plan(make_ctx("hmm whenever really", pending=again.pending))
    assert final.kind == "answer"  # no third question in a row


def test_a_bare_done_without_context_is_an_acknowledgement_without_id() -> None:
    action = plan(make_ctx("done"))
    check(action, ("acknowledge_reminder", {"reminder_id": ...}))


def test_a_malformed_pending_state_is_ignored() -> None:
    for pending in (
        {"tool": 3, "args": "x"},
        {"missing": None},
        {"tool": "create_reminder", "args": {}, "missing": "due_at"},
    ):
        action = plan(make_ctx("7pm", pending=pending))
        assert action.kind in ("answer", "clarify", "tools")
        assert action.text != "" or action.tool_calls


def test_breakdown_without_a_task_asks_which_one() -> None:
    question, answer = ask_then("break it down", "the garage")
    assert question.pending["missing"] == "title"
    check(answer, ("break_down_task", {"title": "garage"}))


def test_a_question_we_cannot_complete_lets_the_message_stand_alone() -> None:
    pending = {"tool": "calendar_create_event", "args": {}, "missing": "attendees"}
    assert plan(make_ctx("asdf qwerty", pending=pending)).kind == "answer"
    check(plan(make_ctx("7pm call mom", pending=pending)), ("create_reminder", {"text": "call mom"}))


def test_missing_goal_title_and_memory_content_are_completed() -> None:
    question, answer = ask_then("new goal:", "run a half marathon")
    assert question.pending["missing"] == "title"
    check(answer, ("add_goal", {"title": "run a half marathon"}))
    question, answer = ask_then("remember:", "the spare key is under the blue pot")
    assert question.pending["missing"] == "content"
    check(answer, ("remember", {"content": "the spare key is under the blue pot"}))
