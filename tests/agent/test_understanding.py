"""The context corpus, clarification round trips, multi-clause texts and the must-not corpus,
through the real agent (offline brain, Runner, tools, services) and the real database: every
test asserts the FINAL STORED STATE, and that each reply is one GSM-7 segment.

Time is frozen on Saturday 2031-03-08 18:30 UTC (13:30 in New York, before the US clock change
of 2031-03-09).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from sqlalchemy import select

from personal_assistant.core import clock
from personal_assistant.db.models import (
    ConversationState,
    Expense,
    Goal,
    GroceryItem,
    Memory,
    Message,
    Reminder,
    Task,
    User,
)
from personal_assistant.db.session import session_scope
from personal_assistant.planning.reminders import service as reminders
from personal_assistant.planning.tasks import service as tasks
from personal_assistant.sms.segments import count_segments
from tests.fixtures.factories import load_user
from tests.fixtures.turns import text_assistant

NOW = "2031-03-08T18:30:00Z"  # 13:30 in New York
NY = "America/New_York"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


async def say(user_ctx, text: str) -> str:
    reply = await text_assistant(user_ctx, text)
    info = count_segments(reply.text)
    assert info.encoding == "gsm7" and info.segments == 1, (len(reply.text), reply.text)
    return reply.text


async def rows(model, user_ctx) -> list:
    async with session_scope() as s:
        return list((await s.execute(select(model).where(model.user_id == user_ctx.id)
                                     .order_by(model.created_at))).scalars())


def local(moment, tz: str = NY) -> str:
    return clock.as_utc(moment).astimezone(clock.zone(tz)).strftime("%Y-%m-%d %H:%M")


async def fired_reminder(user_ctx, text: str = "take your meds", *, escalation: bool = False,
                         ago: int = 0) -> uuid.UUID:
    """A reminder that went out `ago` minutes ago, as delivery leaves it: status sent, its text in
    the thread (as the assistant's newest outbound text when ago is 0)."""
    async with session_scope() as s:
        user = await load_user(s, user_ctx)
        reminder = await reminders.create_reminder(s, user, text=text, due_at=(clock.now() - timedelta(minutes=1))
                                                   .isoformat())
        reminder.status = "sent"
        reminder.attempts = 2 if escalation else 1
        body = (f"Still on your list: {text}. Reply done, snooze 10, or 'cancel {text.split()[-1]}'"
                if escalation else f"Reminder: {text}. Reply done, snooze 10, or 'cancel {text.split()[-1]}'")
        at = clock.now() - timedelta(minutes=ago)
        s.add(Message(user_id=user.id, direction="outbound", channel="sms", kind="reminder", body=body,
                      status="console", ref_id=reminder.id, created_at=at, sent_at=at,
                      idempotency_key=f"reminder:{reminder.id}:{reminder.attempts}"))
        return reminder.id


async def sent_checkin(user_ctx, which: str = "morning") -> None:
    body = ("Good morning! What are your top 3 for today? Reply with them and I'll keep track." if which == "morning"
            else "Evening check-in: how did today go? Anything to carry over to tomorrow?")
    async with session_scope() as s:
        s.add(Message(user_id=user_ctx.id, direction="outbound", channel="sms", kind="checkin", body=body,
                      status="console", created_at=clock.now(), sent_at=clock.now(),
                      idempotency_key=f"checkin:{user_ctx.id}:2031-03-08:{which}"))


async def reminder_row(rid: uuid.UUID) -> Reminder:
    async with session_scope() as s:
        return await s.get(Reminder, rid)


# --- replies to a fired reminder or an escalation -------------------------------------------------
@pytest.mark.parametrize("text", ["handled it earlier", "took em \U0001F44D", "all good, did it", "done!!", "yep"])
async def test_any_acknowledgement_of_a_fired_reminder_marks_that_reminder_done(make_user, frozen, text):
    user = await make_user(timezone=NY)
    other = await fired_reminder(user, "water the plants", ago=30)
    rid = await fired_reminder(user, "take your meds")
    reply = await say(user, text)
    assert (await reminder_row(rid)).status == "acknowledged"
    assert (await reminder_row(other)).status == "sent"  # the one answered, not another
    assert len(await rows(Reminder, user)) == 2  # and no new reminder
    assert "meds" in reply


@pytest.mark.parametrize(("text", "minutes"), [("not yet, later", 10), ("snooze 20", 20), ("give me 15 mins", 15),
                                               ("in 5", 5)])
async def test_a_not_yet_reply_snoozes_that_reminder(make_user, frozen, text, minutes):
    user = await make_user(timezone=NY)
    rid = await fired_reminder(user, escalation=True)
    reply = await say(user, text)
    row = await reminder_row(rid)
    assert row.status == "snoozed"
    assert row.next_fire_at is not None
    assert abs((clock.as_utc(row.next_fire_at) - clock.now()).total_seconds() - minutes * 60) < 61
    assert len(await rows(Reminder, user)) == 1
    assert "pm" in reply  # the exact time it comes back


async def test_push_it_to_a_time_after_a_reminder_fired_snoozes_until_then(make_user, frozen):
    user = await make_user(timezone=NY)
    rid = await fired_reminder(user)
    reply = await say(user, "push it to 8:15")
    row = await reminder_row(rid)
    assert row.status == "snoozed" and local(row.next_fire_at) == "2031-03-08 20:15"
    assert "8:15pm" in reply


@pytest.mark.parametrize("text", ["that one's not needed now", "dont need it anymore", "the appointment got cancelled"])
async def test_a_no_longer_needed_reply_cancels_that_reminder(make_user, frozen, text):
    user = await make_user(timezone=NY)
    rid = await fired_reminder(user, "go to the dentist", escalation=True)
    await say(user, text)
    assert (await reminder_row(rid)).status == "cancelled"
    assert len(await rows(Reminder, user)) == 1


# --- check-ins --------------------------------------------------------------------------------
async def test_the_answer_to_the_morning_checkin_creates_those_tasks_for_today(make_user, frozen):
    user = await make_user(timezone=NY)
    async with session_scope() as s:
        await tasks.create_task(s, await load_user(s, user), title="laundry")
    await sent_checkin(user)
    reply = await say(user, "1. email Sam 2. laundry 3. call the dentist")
    stored = {t.title: t for t in await rows(Task, user)}
    assert sorted(stored) == ["call the dentist", "email Sam", "laundry"]  # laundry reused, not doubled
    for task in stored.values():
        assert task.due_at is not None and task.due_all_day
        assert local(task.due_at)[:10] == "2031-03-08"
    assert "email Sam" in reply and "laundry" in reply


async def test_carrying_things_over_in_the_evening_moves_them_to_tomorrow(make_user, frozen):
    user = await make_user(timezone=NY)
    async with session_scope() as s:
        await tasks.create_task(s, await load_user(s, user), title="taxes", due_at="2031-03-08")
    await sent_checkin(user, "evening")
    await say(user, "carry over taxes and the report")
    stored = {t.title: t for t in await rows(Task, user)}
    assert sorted(stored) == ["taxes", "the report"]
    assert all(local(t.due_at)[:10] == "2031-03-09" for t in stored.values())


# --- corrections, follow-ups, undo ------------------------------------------------------------
@pytest.mark.parametrize(
    ("fix", "due"),
    [("wait, I meant thursday", "2031-03-13 17:00"), ("actually the 12th", "2031-03-12 17:00"),
     ("not friday, saturday", "2031-03-15 17:00"), ("I said evening", "2031-03-14 18:00"),
     ("make it 8:15", "2031-03-14 20:15"), ("push it to monday", "2031-03-10 17:00")],
)
async def test_a_correction_edits_the_reminder_just_made(make_user, frozen, fix, due):
    user = await make_user(timezone=NY)
    await say(user, "remind me to call mom friday at 5pm")
    reply = await say(user, fix)
    [reminder] = await rows(Reminder, user)
    assert reminder.text == "call mom" and local(reminder.due_at) == due
    assert "call mom" in reply.lower()


async def test_a_correction_of_a_task_date(make_user, frozen):
    user = await make_user(timezone=NY)
    await say(user, "add task renew passport by friday")
    await say(user, "actually monday")
    [task] = await rows(Task, user)
    assert task.title == "renew passport" and local(task.due_at)[:10] == "2031-03-10"


async def test_follow_ups_add_to_what_was_just_done(make_user, frozen):
    user = await make_user(timezone=NY)
    await say(user, "add milk to groceries")
    await say(user, "and a lemon")
    assert sorted(i.name for i in await rows(GroceryItem, user)) == ["lemon", "milk"]
    await say(user, "spent $10 on lunch")
    await say(user, "plus 3 for the coffee")
    assert sorted((e.amount, e.note) for e in await rows(Expense, user)) == [
        (Decimal("3.00"), "coffee"), (Decimal("10.00"), "lunch")]


async def test_not_eggs_lemons_swaps_the_item(make_user, frozen):
    user = await make_user(timezone=NY)
    await say(user, "add milk and eggs to groceries")
    await say(user, "not eggs, lemons")
    assert sorted(i.name for i in await rows(GroceryItem, user)) == ["lemons", "milk"]


async def test_an_expense_amount_correction(make_user, frozen):
    user = await make_user(timezone=NY)
    await say(user, "spent 10 on lunch")
    await say(user, "actually it was 12")
    [expense] = await rows(Expense, user)
    assert expense.amount == Decimal("12.00") and expense.note == "lunch"


@pytest.mark.parametrize(
    ("first", "model"),
    [("remind me to call mom at 7pm", Reminder), ("add task renew passport", Task), ("spent $4 on coffee", Expense),
     ("add milk and eggs to groceries", GroceryItem), ("remember my locker code is 4312", Memory),
     ("new goal: run a 5k by june", Goal)],
)
async def test_undo_reverts_the_last_change(make_user, frozen, first, model):
    user = await make_user(timezone=NY)
    await say(user, first)
    assert len(await rows(model, user)) >= 1
    reply = await say(user, "undo")
    assert await rows(model, user) == []
    assert reply
    again = await say(user, "undo")
    assert "nothing" in again.lower()


async def test_undo_of_done_reopens_the_task(make_user, frozen):
    user = await make_user(timezone=NY)
    await say(user, "add task renew passport")
    await say(user, "done with renew passport")
    await say(user, "oops undo")
    [task] = await rows(Task, user)
    assert task.status == "todo"


async def test_undo_of_a_settings_change_restores_the_old_value(make_user, frozen):
    user = await make_user(timezone=NY)
    await say(user, "quiet hours 10pm to 7am")
    await say(user, "I sleep 11 to 6")
    await say(user, "undo")
    async with session_scope() as s:
        stored = await s.get(User, user.id)
    assert (stored.quiet_hours_start.hour, stored.quiet_hours_end.hour) == (22, 7)


# --- clarification round trips ----------------------------------------------------------------
@pytest.mark.parametrize(("answer", "due"), [("uh 5 i guess", "2031-03-08 17:00"), ("7pm", "2031-03-08 19:00"),
                                             ("tomorrow after lunch", "2031-03-09 13:00"),
                                             ("quarter past 6", "2031-03-08 18:15")])
async def test_a_missing_time_is_asked_and_any_reasonable_answer_completes_it(make_user, frozen, answer, due):
    user = await make_user(timezone=NY)
    question = await say(user, "remind me to ring the garage")
    assert "?" in question and await rows(Reminder, user) == []
    reply = await say(user, answer)
    [reminder] = await rows(Reminder, user)
    assert reminder.text == "ring the garage" and local(reminder.due_at) == due
    hour, minute = int(due[11:13]), due[14:16]
    said = f"{hour % 12 or 12}{'' if minute == '00' else ':' + minute}{'am' if hour < 12 else 'pm'}"
    assert said in reply  # the exact time is stated


async def test_a_pending_question_never_swallows_a_new_request(make_user, frozen):
    user = await make_user(timezone=NY)
    await say(user, "remind me to ring the garage")
    await say(user, "add bread to groceries")
    assert [i.name for i in await rows(GroceryItem, user)] == ["bread"]
    assert await rows(Reminder, user) == []


async def test_nevermind_drops_the_question(make_user, frozen):
    user = await make_user(timezone=NY)
    await say(user, "remind me to ring the garage")
    reply = await say(user, "nevermind")
    assert await rows(Reminder, user) == []
    async with session_scope() as s:
        state = (await s.execute(select(ConversationState).where(ConversationState.user_id == user.id))).scalar_one()
    assert state.pending is None
    assert "dropped" in reply.lower() or "skipped" in reply.lower()
    await say(user, "7pm")  # the question is gone: a bare time creates nothing
    assert await rows(Reminder, user) == []


async def test_an_unsure_reading_is_confirmed_first_and_done_on_yes(make_user, frozen):
    user = await make_user(timezone=NY)
    question = await say(user, "the garage thing at 5")
    assert "?" in question and "yes" in question.lower()
    assert await rows(Reminder, user) == []
    await say(user, "yes")
    [reminder] = await rows(Reminder, user)
    assert local(reminder.due_at) == "2031-03-08 17:00"


async def test_a_confirmation_answered_with_another_time_uses_that_time(make_user, frozen):
    user = await make_user(timezone=NY)
    await say(user, "the garage thing at 5")
    await say(user, "no, 6pm")
    [reminder] = await rows(Reminder, user)
    assert local(reminder.due_at) == "2031-03-08 18:00"


async def test_the_fallback_offers_a_note_or_a_task(make_user, frozen):
    user = await make_user(timezone=NY)
    reply = await say(user, "the purple elephant sings")
    assert "note" in reply and "task" in reply
    assert await rows(Memory, user) == [] and await rows(Task, user) == []
    await say(user, "note")
    [memory] = await rows(Memory, user)
    assert memory.content == "the purple elephant sings"


# --- several requests in one text -------------------------------------------------------------
async def test_every_clause_is_done_and_one_reply_covers_them(make_user, frozen):
    user = await make_user(timezone=NY)
    reply = await say(user, "log 9 for parking and add light bulbs to groceries")
    [expense] = await rows(Expense, user)
    assert expense.amount == Decimal("9.00") and expense.note == "parking"
    assert [i.name for i in await rows(GroceryItem, user)] == ["light bulbs"]
    assert "9.00" in reply and "light bulbs" in reply


async def test_three_requests_on_three_lines(make_user, frozen):
    user = await make_user(timezone=NY)
    await say(user, "remind me to call mom at 7pm\nadd task renew passport\nspent 12 on lunch")
    assert [r.text for r in await rows(Reminder, user)] == ["call mom"]
    assert [t.title for t in await rows(Task, user)] == ["renew passport"]
    assert [e.amount for e in await rows(Expense, user)] == [Decimal("12.00")]


async def test_two_amounts_are_two_expenses(make_user, frozen):
    user = await make_user(timezone=NY)
    await say(user, "spent 20 on gas and 15 on lunch")
    assert sorted((e.amount, e.note) for e in await rows(Expense, user)) == [
        (Decimal("15.00"), "lunch"), (Decimal("20.00"), "gas")]


async def test_a_list_without_commas_is_several_items(make_user, frozen):
    user = await make_user(timezone=NY)
    await say(user, "add oats bananas and yogurt to groceries")
    await say(user, "got the bananas")
    items = {i.name: i.checked for i in await rows(GroceryItem, user)}
    assert items == {"oats": False, "bananas": True, "yogurt": False}


# --- settings in plain words, and questions about one's own data ------------------------------
async def test_settings_in_plain_words(make_user, frozen):
    user = await make_user(timezone=NY)
    await say(user, "I sleep 11 to 7")
    await say(user, "everything's in euros now")
    await say(user, "nag me every 5 min until I answer")
    await say(user, "shift the nightly check-in to 9:30")
    await say(user, "my mornings start at 7")
    async with session_scope() as s:
        stored = await s.get(User, user.id)
    assert (stored.quiet_hours_start.strftime("%H:%M"), stored.quiet_hours_end.strftime("%H:%M")) == ("23:00", "07:00")
    assert stored.currency == "EUR" and stored.escalation_minutes == 5 and stored.escalation_max == 10
    assert stored.evening_checkin_time.strftime("%H:%M") == "21:30" and stored.checkins_enabled
    assert stored.day_parts == {"morning": "07:00"}
    await say(user, "remind me tomorrow morning to stretch")
    [reminder] = await rows(Reminder, user)
    assert local(reminder.due_at) == "2031-03-09 07:00"  # the user's own morning
    answer = await say(user, "when do you text me at night")
    assert "9:30pm" in answer


async def test_dont_text_me_after_10_sets_quiet_hours_and_creates_no_reminder(make_user, frozen):
    user = await make_user(timezone=NY)
    reply = await say(user, "don't text me after 10")
    assert await rows(Reminder, user) == []
    async with session_scope() as s:
        stored = await s.get(User, user.id)
    assert stored.quiet_hours_start.strftime("%H:%M") == "22:00" and stored.quiet_hours_end is not None
    assert "10pm" in reply


async def test_questions_about_ones_own_data_are_answered_from_it(make_user, frozen):
    user = await make_user(timezone=NY)
    await say(user, "remind me to take my meds at 9pm")
    await say(user, "add task renew passport by today")
    await say(user, "new goal: run a 5k by june")
    assert "meds" in await say(user, "which reminders do I have?")
    assert "run a 5k" in await say(user, "what are my goals")
    due = await say(user, "anything due today?")
    assert "renew passport" in due and "meds" in due
    assert "quiet" in (await say(user, "am I on do-not-disturb overnight?")).lower()


async def test_a_personal_fact_said_plainly_is_remembered_and_recalled(make_user, frozen):
    user = await make_user(timezone=NY)
    reply = await say(user, "my dentist is Dr. Okafor")
    [memory] = await rows(Memory, user)
    assert memory.content == "my dentist is Dr. Okafor"
    assert "remember" in reply.lower() or "saved" in reply.lower()
    assert await rows(Reminder, user) == []
    assert "Okafor" in await say(user, "who's my dentist?")


async def test_stored_text_is_the_persons_own_words(make_user, frozen):
    user = await make_user(timezone=NY)
    await say(user, "hmm ok so rmd me to pick up the dentist appt forms 2moro at 9 pls \U0001F64F")
    [reminder] = await rows(Reminder, user)
    assert reminder.text == "pick up the dentist appt forms"
    assert local(reminder.due_at) == "2031-03-09 09:00"


# --- the must-not corpus ----------------------------------------------------------------------
MUST_NOT = [
    ("the concert ran late tonight", (Reminder, Task, Memory)),
    ("the pool is shut on sundays", (Reminder, Task, Memory)),
    ("work was crazy today", (Reminder, Task, Memory)),
    ("I feel like a failure", (Task, Reminder, Memory)),
    ("im so overwhelmed by everything rn", (Task, Reminder)),
    ("I'm exhausted, can't do anything", (Task, Reminder)),
    ("don't text me after 10", (Reminder, Task)),
    ("stop texting me so late", (Reminder, Task)),
    ("thank u!!", (Reminder, Task, Memory, GroceryItem)),
    ("morning :)", (Reminder, Task, Memory)),
    ("haha sure", (Reminder, Task, Memory)),
    ("ok", (Reminder, Task)),
    ("what's on my list?", (Task,)),
    ("add task check the spending report", (Expense,)),
    ("add task pay the $40 parking fine", (Expense,)),
    ("delete the dentist task", (Reminder,)),
    ("remind me to add milk to the grocery list at 6", (GroceryItem,)),
    ("I forgot to take my meds", (Reminder, Task)),
    ("asdf qwerty", (Reminder, Task, Memory, GroceryItem, Expense)),
    ("what time is it", (Reminder, Task)),
    ("can't sleep at 3am again", (Reminder, Task)),
    ("won't make it to the gym at 6", (Reminder, Task)),
    ("the pharmacy closes at 6 on saturdays", (Reminder, Task)),
    ("I have a call at 3", (Reminder, Task)),
    ("quiet hours 10 to 7", (Reminder, Task)),
]


@pytest.mark.parametrize(("text", "models"), MUST_NOT, ids=[t for t, _ in MUST_NOT])
async def test_must_not(make_user, frozen, text, models):
    user = await make_user(timezone=NY)
    await say(user, text)
    for model in models:
        assert await rows(model, user) == [], model.__name__


async def test_a_bare_done_never_acts_on_a_reminder_that_has_not_gone_out(make_user, frozen):
    user = await make_user(timezone=NY)
    await say(user, "remind me to call mom tomorrow at 9am")
    for text in ("done", "cancel that reminder", "snooze"):
        await say(user, text)
    [reminder] = await rows(Reminder, user)
    assert reminder.status == "pending" and local(reminder.due_at) == "2031-03-09 09:00"


async def test_a_breakdown_shows_the_first_steps_then_more(make_user, frozen):
    user = await make_user(timezone=NY)
    first = await say(user, "I can't get started on planning mom's birthday party")
    assert "1)" in first and "more" in first.lower()
    rest = await say(user, "more")
    assert "Next:" in rest
    [parent, *steps] = await rows(Task, user)
    assert parent.title == "planning mom's birthday party" and len(steps) >= 4  # every step is saved
