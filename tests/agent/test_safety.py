"""Safety first: crisis language is answered with the local crisis line and nothing is stored.

The corpus (positives and negatives) runs the real screen; the end-to-end tests go through the
real Twilio webhook and the real web chat, with the real provider chain, tools and database.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from personal_assistant.agent.llm.fallback import ProviderChain
from personal_assistant.agent.safety import country_for, crisis_reply, screen
from personal_assistant.db.models import Expense, Goal, GroceryItem, Memory, Message, Reminder, Task
from personal_assistant.db.session import session_scope
from personal_assistant.sms.segments import count_segments
from personal_assistant.workers.enqueue import wait_for_in_process_jobs
from tests.agent.scripted import ScriptedProvider, answer, call
from tests.fixtures.twilio import SHARED_NUMBER, inbound_params, post_signed

POSITIVES = [
    # plain words
    "I want to kill myself",
    "i want to die",
    "I'm thinking about suicide",
    "I feel suicidal tonight",
    "I don't want to live anymore",
    "i dont want to be alive",
    "I wish I was dead",
    "I wish I were dead",
    "I wish I'd never been born",
    "everyone would be better off without me",
    "my family would be better off without me",
    "I'm better off dead",
    "there's no reason to live",
    "I have nothing to live for",
    "life isn't worth living",
    "I can't go on living like this",
    "I'm going to end my life",
    "I want to end it all",
    "I'm planning to end it tonight",
    "thinking of taking my own life",
    "I want to hurt myself",
    "I keep cutting myself",
    "I cut myself again last night",
    "I've been self harming",
    "the urge to self-harm is really bad today",
    "I feel like hurting myself",
    "I want to overdose",
    "thinking about taking all my pills at once",
    "I want to jump off a bridge",
    "I want to hang myself",
    "I'm tired of being alive",
    "I'm done with life",
    "i just want it all to be over for good",
    "i want to go to sleep and never wake up again",
    "I wish I wouldn't wake up tomorrow",
    "no one would miss me if I was gone",
    "I don't want to exist anymore",
    "I no longer want to live",
    # SMS spellings, typos, slang, emoji, no punctuation
    "wanna die",
    "i wanna kms",
    "kms",
    "want 2 die tbh",
    "i want to unalive myself",
    "thinking about sewer slide",
    "im so suicidle rn",
    "feeling sucidal",
    "i dont wanna be here anymore 😞",
    "honestly i just want to die 💀",
    "I WANT TO KILL MYSELF",
    "i want to kill my self",
    "cant do this anymore i want to end my life",
    # inside commands
    "add task kill myself",
    "remind me to kill myself at 9pm",
    "remind me tomorrow to end it all",
    "todo: write my suicide note",
    "add task buy rope to hang myself",
    "remember that I want to die",
    "add overdose to my list",
    "note to self: nobody would care if I died",
    "log $20 for pills to overdose",
    "add razor blades to groceries so I can cut myself",
    # mixed with negations elsewhere
    "I'm not okay, I want to die",
    "it's not that bad but I keep thinking about killing myself",
    "I don't want to die but I keep thinking about suicide",
    "what's the suicide hotline number",
    "I just want to sleep forever",
    "whats the point of living",
    "i wish i could just disappear",
    "i want to give up on life",
    "thinking of ending things",
]

NEGATIVES = [
    # figures of speech
    "I'm dead on my feet",
    "I could die of embarrassment",
    "this traffic is killing me",
    "kill the lights",
    "my feet are killing me",
    "I'm dying to see that movie",
    "I'm dying of laughter",
    "that cake is to die for",
    "I'd rather die than sit through another meeting",
    "you're killing it!",
    "I need to kill some time before the train",
    "I'd kill for a coffee right now",
    "my phone died",
    "the battery is dead",
    "I'm dead tired",
    "deadline is friday",
    "lol I nearly killed myself laughing",
    "I've been killing myself to finish this report",
    "I'm killing myself at the gym lately",
    "kill the process on my laptop",
    "remind me to kill the weeds in the garden",
    "that joke killed me",
    "this heat is murder",
    "I'm going to die on this hill",
    "I want to die my hair pink",
    "shoot me a text when you land",
    "let's shoot for 5pm",
    "break a leg tonight!",
    "drop dead gorgeous dress",
    "I'm a die-hard fan",
    # accidents, not self-harm
    "I cut myself shaving",
    "cut myself on a can lid, ouch",
    "I hurt myself at the gym",
    "I burned myself cooking dinner",
    "cut myself a slice of cake",
    "I need to cut the onions",
    "cut my hair tomorrow",
    # negations
    "I'm not suicidal, just really tired",
    "I would never kill myself",
    "I don't want to die, I just want a nap",
    "not going to hurt myself, promise, just venting",
    # topics, other people
    "watching suicide squad tonight",
    "suicide prevention training at work tomorrow",
    "remind me about the suicide awareness walk on sunday",
    "my uncle died by suicide years ago, his anniversary is today",
    "my friend overdosed on coffee lol",
    "I'm overdosing on netflix this weekend",
    # ordinary requests and feelings
    "remind me to take my meds at 9pm",
    "remind me to take my pills at 8",
    "add task renew passport",
    "I'm so tired today",
    "I feel like a failure",
    "I'm overwhelmed",
    "I can't do this report anymore",
    "I want to live in Paris someday",
    "life is good",
    "the plants died, need new ones",
    "dead battery on the car, call AAA",
    "I want to end my subscription",
    "I want to end it with Jake, he's not right for me",
    "end the focus session",
    "stop reminding me",
    "kill it",
    "i want to end things with my boyfriend",
    "i could sleep forever lol",
    "I'm so tired I could sleep forever",
    "what's the point of this meeting",
    "",
    "👍",
]


@pytest.mark.parametrize("text", POSITIVES)
def test_crisis_language_is_caught(text: str) -> None:
    assert screen(text) is not None, text


@pytest.mark.parametrize("text", NEGATIVES)
def test_figures_of_speech_and_ordinary_texts_are_not_caught(text: str) -> None:
    assert screen(text) is None, text


def test_corpus_is_big_enough() -> None:
    assert len(set(POSITIVES)) >= 60 and len(set(NEGATIVES)) >= 60


@pytest.mark.parametrize(
    ("country", "line"),
    [("US", "988"), ("CA", "988"), ("GB", "116 123"), ("IE", "116 123"), ("AU", "13 11 14"), ("NZ", "1737"),
     (None, "local emergency number"), ("FR", "local emergency number")],
)
def test_crisis_reply_names_the_local_line_in_one_gsm7_segment(country, line) -> None:
    text = crisis_reply(country)
    assert line in text
    info = count_segments(text)
    assert info.encoding == "gsm7" and info.segments == 1, (len(text), text)


def test_country_comes_from_the_phone_then_the_zone() -> None:
    assert country_for("+447700900123", "UTC") == "GB"
    assert country_for("+15551234567", "America/Toronto") == "CA"
    assert country_for("+15551234567", "UTC") == "US"
    assert country_for(None, "Australia/Sydney") == "AU"
    assert country_for(None, "Europe/Paris") is None


# --- end to end --------------------------------------------------------------------------------
USER_TABLES = (Task, Reminder, Memory, Expense, GroceryItem, Goal)


async def _stored_rows(user_id) -> dict[str, int]:
    async with session_scope() as s:
        return {
            model.__tablename__: int(
                (await s.execute(select(func.count()).select_from(model).where(model.user_id == user_id))).scalar_one()
            )
            for model in USER_TABLES
        }


@pytest.mark.parametrize(
    ("phone", "timezone", "line"),
    [("+15550001234", "America/New_York", "988"), ("+447700900123", "Europe/London", "116 123"),
     ("+61400000123", "Australia/Sydney", "13 11 14")],
)
async def test_a_crisis_text_by_sms_gets_the_local_line_and_stores_nothing(
    client, make_user, twilio_webhooks, phone, timezone, line
):
    user = await make_user(phone=phone, timezone=timezone)
    body = "add task kill myself tomorrow at 9am"
    response = await post_signed(client, "/webhooks/twilio/sms", inbound_params(from_=user.phone, to=SHARED_NUMBER,
                                                                                body=body))
    assert response.status_code == 200
    await wait_for_in_process_jobs()
    async with session_scope() as s:
        replies = list((await s.execute(select(Message).where(Message.user_id == user.id,
                                                             Message.direction == "outbound"))).scalars())
    assert len(replies) == 1
    assert line in replies[0].body
    assert replies[0].answered_by == "safety"
    assert await _stored_rows(user.id) == {m.__tablename__: 0 for m in USER_TABLES}


async def test_a_crisis_text_in_web_chat_gets_the_line_and_stores_nothing(client, make_user):
    user = await make_user(phone="+15550002345", timezone="America/Chicago")
    response = await client.post("/api/v1/conversation/messages",
                                 json={"text": "remind me at 9pm that i want to die"}, headers=user.headers)
    assert response.status_code == 201
    body = response.json()
    assert "988" in body["reply"]["body"] and body["provider"] == "safety"
    assert await _stored_rows(user.id) == {m.__tablename__: 0 for m in USER_TABLES}


async def test_a_crisis_text_never_reaches_the_llm(make_user):
    """The chain answers before its primary provider is asked anything."""
    from tests.fixtures.turns import text_assistant

    primary = ScriptedProvider(call("add_task", title="kill myself"), name="gemini")
    fallback = ScriptedProvider(call("add_task", title="kill myself"), name="offline")
    chain = ProviderChain(primary, fallback)
    user = await make_user(phone="+15550003456", timezone="America/New_York")
    reply = await text_assistant(user, "add task kill myself", chain=chain)
    assert primary.seen == [] and fallback.seen == []
    assert reply.provider == "safety" and "988" in reply.text
    assert await _stored_rows(user.id) == {m.__tablename__: 0 for m in USER_TABLES}


async def test_an_llm_asking_to_store_crisis_words_is_refused_by_the_runner(make_user):
    """The text itself is harmless; the provider's tool call is not: nothing is stored and the
    reply carries the crisis line (the same guard, applied to actions)."""
    from tests.fixtures.turns import text_assistant

    primary = ScriptedProvider(call("add_task", title="end my life tonight"),
                               lambda ctx, results: answer(results[0].data), name="gemini")
    user = await make_user(phone="+15550003457", timezone="America/New_York")
    reply = await text_assistant(user, "help me plan the evening", chain=ProviderChain(None, primary))
    assert "988" in reply.text
    assert await _stored_rows(user.id) == {m.__tablename__: 0 for m in USER_TABLES}
