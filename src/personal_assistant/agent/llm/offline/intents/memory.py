"""Memory intents: remember (asked, or a plainly stated personal fact), recall, forget, and the
statements that are neither (offered to be remembered, never stored unasked)."""

from __future__ import annotations

import re

from personal_assistant.agent.llm.base import Action
from personal_assistant.agent.llm.offline.intent import Intent, Reading, ex
from personal_assistant.agent.llm.offline.message import Msg, ask, call, say
from personal_assistant.agent.llm.offline.statements import is_past, is_statement
from personal_assistant.agent.llm.offline.style import clip, second_person
from personal_assistant.agent.llm.offline.when import find_when

RE_REMEMBER = re.compile(
    r"^(?:please\s+)?(?:remember|memorize|memorise|note to self|note|save this|save|keep in mind|fyi|for the record|"
    r"store this|make a note|jot down|write down|don'?t forget that|for future reference)\b(?:\s+(?:that|this))?"
    r"\s*[:\-]?\s*(?P<c>.*)$"
)
RE_RECALL = re.compile(
    r"^(?:do you remember|do you know|recall|remind me|tell me|what did i (?:say|tell you) about|"
    r"what do you know about|what was|what were|what's|whats|what is|what are|where's|wheres|where is|where are|"
    r"where did i (?:put|park|leave)|where i (?:put|parked|left)|when's|whens|when is|when was|who's|whos|who is|"
    r"which|how do i|what)\b\s*(.*)$"
    r"|^(?:that|the) (?P<thing>.+?),? what (?:was|is) it$|^(?:that|the) (?P<thing2>.+?) again$"
)
_QUESTION_FILLER = (
    r"\b(?:my|the|a|an|is|are|was|were|did|do|does|i|me|you|again|please|remember|remind|know|about|of|that|"
    r"what|whats|what's|where|when|who|whos|which|how|tell|told|say|said|recall|put|left|it|for|there|number|"
    r"thing|one|note|notes|memory)\b"
)
RE_EVENT = re.compile(
    r"(?i)\b(?:birthday|anniversary|appointment|wedding|on (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))"
)
RE_FACT = re.compile(
    r"^(?P<c>(?:my|our|mom's|mum's|dad's|my \w+'s)\s+(?P<subject>[\w' -]{2,40}?)\s+(?:is|are|was|=|:)\s+(?P<v>.+))$"
    r"|^(?P<c2>i(?:'m| am) (?:allergic to|vegetarian|vegan|lactose intolerant|gluten free|diabetic|left handed|"
    r"right handed|a (?:nurse|teacher|student|developer|night owl|morning person))\b.*)$"
    r"|^(?P<c3>(?:i|we) (?:live|work|bank|park) (?:at|in|on|with)\b.+)$"
    r"|^(?P<c4>(?:my|our) (?:\w+ )?(?:code|password|pin|number|address|name|size|plate|locker|combo|combination)"
    r"(?:'s| is)\s+.+)$"
)
RE_FORGET_ALL = re.compile(
    r"^(?:please\s+)?(?:forget|delete|remove|erase|wipe)\s+"
    r"(?:everything|all(?: of)?(?: the)?(?: stuff| things| notes)?|anything)\s+"
    r"(?:you know\s+|i (?:said|told you)\s+|you have\s+|you've got\s+|saved\s+)?"
    r"(?:about|on|re|regarding)\s+(?P<topic>.+?)$"
)
RE_FORGET_THAT = re.compile(
    r"^(?:(?:ok|okay|actually|oops|wait),?\s+)?(?:please\s+)?(?:forget|delete|remove|erase)\s+"
    r"(?:that|this|what i just (?:said|told you)|the last (?:thing|one|note|memory)|that last one|that one)"
    r"(?:\s+(?:please|pls|thanks|memory|note))?$"
)
RE_OVERVIEW = re.compile(
    r"^(?:so\s+)?(?:what|wat|wot)\s+(?:do|did)\s+(?:you|u)\s+(?:know|remember|have(?: saved| stored| on file)?)\s+"
    r"(?:about|on|of)\s+me$"
    r"|^(?:what have you|what've you|whatve you)\s+(?:got|saved|stored|remembered|learned|learnt)"
    r"(?:\s+(?:about|on)\s+me)?$"
    r"|^(?:show|list|see|tell me)\s+(?:me\s+)?(?:all\s+)?(?:my|the)\s+"
    r"(?:memories|notes you(?:'ve| have) (?:kept|saved))$"
    r"|^(?:what|which) (?:memories|things) do you have(?: about me)?$"
)
RE_FORGET = re.compile(
    r"^(?:forget|delete|remove|erase)\s+(?:(?:what i (?:said|told you) about|about|the note about|my note about|"
    r"the memory about|my memory about|the notes? on)\s+(?P<q2>.+?)|(?P<q>(?:my|the|that)\s+.+?))"
    r"(?:\s+(?:note|memory))?$"
)


def forget_all(m: Msg, match: re.Match[str] | None) -> Action | None:
    if match is None:
        return None
    topic = re.sub(r"^(?:my|the|our)\s+", "", m.low[match.start("topic") : match.end("topic")]).strip(" .!?")
    if not topic or re.search(r"\b(?:reminders?|tasks?|groceries|grocery|list|expenses?)\b", topic):
        return None
    return call("forget_memory", everything_about=topic[:200])


def forget_that(m: Msg, match: re.Match[str] | None) -> Action | None:
    return None if match is None else call("forget_memory", last=True)


def memory_overview(m: Msg, match: re.Match[str] | None) -> Action | None:
    return None if match is None else call("memory_overview")


def _kind_and_tags(m: Msg, content: str) -> tuple[str, list[str]]:
    kind = "fact"
    if re.match(r"(?i)^(?:note|note to self|jot|write|make a note)", m.low):
        kind = "note"
    elif re.search(
        r"(?i)\bi (?:like|love|prefer|hate|dislike|can't stand|cant stand|enjoy|don't like|dont like)\b", content
    ):
        kind = "preference"
    elif RE_EVENT.search(content):
        kind = "event"
    tags: list[str] = []
    subject = re.match(r"(?i)^(?:my|our|the)\s+(.{2,40}?)\s+(?:is|are|was|=|:)\s", content)
    if subject:
        tags = [subject.group(1).lower()]
    return kind, tags


def remember(m: Msg, match: re.Match[str] | None) -> Action | None:
    if match is None:
        return None
    content = m.own(match.start("c"), match.end("c")).strip(" :-")
    if re.match(r"(?i)^to\s+", content):
        return None  # "remember to call mom" is a reminder
    if not content:
        return ask("What should I remember?", "remember", {}, "content")
    kind, tags = _kind_and_tags(m, content)
    return call("remember", content=content[:2000], kind=kind, tags=tags)


def personal_fact(m: Msg, match: re.Match[str] | None) -> Reading | None:
    """'my dentist is Dr. Okafor': said plainly, it is remembered (and the reply says so)."""
    if match is None or "?" in m.text:
        return None
    group = next(g for g in ("c", "c2", "c3", "c4") if match.group(g))
    content = m.own(match.start(group), match.end(group)).strip(" .")
    if len(content) > 300:
        return None
    when = find_when(m.norm, m.now)
    if when is not None and when.has_time and not RE_EVENT.search(content):
        return None  # "my flight is at 6" is about a time: the statement intent offers a reminder
    kind, tags = _kind_and_tags(m, content)
    return Reading("personal_fact", call("remember", content=content[:2000], kind=kind, tags=tags), 0.9)


def statement(m: Msg, _match: re.Match[str] | None) -> Reading | None:
    """A statement that asks for nothing: never stored; offered as a reminder (future, with a time)
    or as a memory, acknowledged kindly otherwise."""
    if not is_statement(m.low) or m.count > 1:
        return None
    when = find_when(m.norm, m.now, day_parts=m.ctx_day_parts)
    words = m.own(0, len(m.norm))
    if when is not None and when.has_time and not is_past(m.low) and when.at > m.now:
        text = re.sub(r"(?i)^(?:the|my)\s+", "", m.own_without(0, len(m.norm), when.spans)).strip(" ,.")
        text = re.sub(r"(?i)\s+(?:is|are|starts|begins)$", "", text).strip()
        offer = {"name": "create_reminder", "args": {"text": text[:200], "due_at": when.iso}}
        from personal_assistant.agent.llm.offline.style import when_label

        label = when_label(when.at, m.now)
        question = f"Noted. Want a reminder for {clip(second_person(text), 50)} {label}? Reply yes, or ignore this."
        return Reading("statement", ask(question, "confirm", {}, "confirm", calls=[offer]), 0.85)
    if is_past(m.low) or (when is not None and when.has_time):
        reply = m.voice.pick("stmt", ["Thanks for telling me. Anything I can take off your plate?",
                                      "Got it. Anything you need from me right now?"])
        return Reading("statement", say(reply), 0.85)
    offer = {"name": "remember", "args": {"content": words[:2000], "kind": "fact"}}
    question = f"Want me to remember that? ({clip(second_person(words), 70)}) Reply yes, or ignore this."
    return Reading("statement", ask(question, "confirm", {}, "confirm", calls=[offer]), 0.85)


def recall_query(text: str) -> str:
    query = re.sub(r"[?!.,]", " ", text.lower())
    query = re.sub(r"\b(?:what|where|when|who|how|that|it|there)'?s\b", " ", query)
    query = re.sub(_QUESTION_FILLER, " ", query)
    query = re.sub(r"\s+", " ", query).strip()
    return query


def recall(m: Msg, match: re.Match[str] | None) -> Action | None:
    if match is None:
        return None
    thing = match.groupdict().get("thing") or match.groupdict().get("thing2")
    if match.groupdict().get("thing2") and is_statement(m.low):
        return None  # "the meeting ran over again" says something, asks nothing
    query = recall_query(thing if thing else m.low)
    if not query:
        return None
    return call("recall", query=query[:200])


def forget(m: Msg, match: re.Match[str] | None) -> Action | None:
    if match is None:
        return None
    group = "q" if match.group("q") else "q2"
    query = recall_query(m.low[match.start(group) : match.end(group)])
    if not query or re.search(r"\b(?:reminder|task|groceries|grocery|list)\b", query):
        return None
    return call("forget_memory", query=query[:200])


REMEMBER = Intent(
    "remember",
    remember,
    patterns=(RE_REMEMBER,),
    tool="remember",
    priority=89,
    summary="'remember my locker code is 4312', 'note to self: ...'",
    examples=(
        ex("remember my locker code is 4312", "remember", content="my locker code is 4312", kind="fact",
           tags=["locker code"]),
        ex("remember that I parked on level 3", "remember", content="I parked on level 3"),
        ex("note to self: the wifi password is on the fridge", "remember", kind="note",
           content="the wifi password is on the fridge"),
        ex("remember I prefer morning reminders", "remember", kind="preference"),
        ex("remember mom's birthday is on may 3", "remember", kind="event"),
        ex("pls remember the storage unit code is 5521 \U0001F64F", "remember",
           content="the storage unit code is 5521"),
        ex("remember: the spare key is under the blue pot", "remember", content="the spare key is under the blue pot"),
        ex("note: Jo's flat is number 12", "remember", content="Jo's flat is number 12", kind="note"),
        ex("save this: wifi is sunflower22", "remember", content="wifi is sunflower22"),
        ex("remember my bike lock combo is 0451", "remember", content="my bike lock combo is 0451",
           tags=["bike lock combo"]),
        ex("fyi the bins go out on tuesdays", "remember", content="the bins go out on tuesdays"),
        ex("make a note that the landlord is Priya", "remember", content="the landlord is Priya", kind="note"),
        ex("remember I hate phone calls", "remember", content="I hate phone calls", kind="preference"),
        ex("keep in mind I'm vegetarian", "remember", content="I'm vegetarian"),
        ex("remember our anniversary is june 12", "remember", kind="event", tz="Europe/London"),
        ex("jot down: passport number ends in 4471", "remember", content="passport number ends in 4471"),
        ex("remember:", "remember", expect="clarify", says="remember"),
    ),
)

PERSONAL_FACT = Intent(
    "personal_fact",
    personal_fact,
    patterns=(RE_FACT,),
    tool="remember",
    priority=44,
    strong=False,
    summary="a personal fact said plainly ('my dentist is Dr. Okafor') is remembered",
    examples=(
        ex("my dentist is Dr. Okafor", "personal_fact", ("remember", {"content": "my dentist is Dr. Okafor"})),
        ex("my locker code is 4312", "personal_fact", ("remember", {"content": "my locker code is 4312"})),
        ex("I'm allergic to penicillin", "personal_fact", ("remember", {"content": "I'm allergic to penicillin"})),
        ex("our wifi password is sunflower22", "personal_fact",
           ("remember", {"content": "our wifi password is sunflower22"})),
        ex("mom's birthday is may 3", "personal_fact", ("remember", {"content": "mom's birthday is may 3"})),
        ex("my doctor is Dr. Patel", "personal_fact", ("remember", {"content": "my doctor is Dr. Patel"})),
        ex("my car plate is KD19 XTE", "personal_fact", ("remember", {"content": "my car plate is KD19 XTE"}),
           tz="Europe/London"),
        ex("I'm vegetarian", "personal_fact", ("remember", {"content": "I'm vegetarian"})),
        ex("my shoe size is 9", "personal_fact", ("remember", {"content": "my shoe size is 9"})),
        ex("my therapist's name is Ana", "personal_fact", ("remember", {"content": "my therapist's name is Ana"})),
        ex("I work at the library", "personal_fact", ("remember", {"content": "I work at the library"})),
        ex("our landlord is Mr. Chen", "personal_fact", ("remember", {"content": "our landlord is Mr. Chen"})),
        ex("my pharmacy is the one on Elm St", "personal_fact",
           ("remember", {"content": "my pharmacy is the one on Elm St"})),
        ex("dad's birthday is october 2", "personal_fact", ("remember", {"content": "dad's birthday is october 2"})),
        ex("I'm allergic to peanuts", "personal_fact", ("remember", {"content": "I'm allergic to peanuts"})),
    ),
)

STATEMENT = Intent(
    "statement",
    statement,
    priority=12,
    strong=False,
    summary="a statement ('the concert ran late tonight') creates nothing; a future one is offered as a reminder",
    examples=(
        ex("the concert ran late tonight", "statement", expect="answer"),
        ex("the pool is shut on sundays", "statement", expect="clarify", says="remember"),
        ex("work was crazy today", "statement", expect="answer"),
        ex("my sister arrives friday at 6", "statement", expect="clarify", says="reminder"),
        ex("traffic was awful this morning", "statement", expect="answer"),
        ex("the gym closes at 9 on sundays", "statement", expect="clarify", says="reminder"),
        ex("I went to the dentist yesterday", "statement", expect="answer"),
        ex("the meeting ran over again", "statement", expect="answer"),
        ex("the kids have a half day today", "statement", expect="clarify", says="remember"),
        ex("we had pizza for dinner", "statement", expect="answer"),
        ex("my flight is at 6am tomorrow", "statement", expect="clarify", says="reminder"),
        ex("the train was late tonight", "statement", expect="answer"),
        ex("it's raining again", "statement", expect="clarify", says="remember"),
    ),
)

RECALL = Intent(
    "recall",
    recall,
    patterns=(RE_RECALL,),
    tool="recall",
    priority=40,
    strong=False,
    summary="'what's my locker code?', 'that number for the storage unit, what was it'",
    examples=(
        ex("what's my locker code?", "recall", query="locker code"),
        ex("where did I park?", "recall", query="park"),
        ex("that number for the storage unit, what was it", "recall", query="storage unit"),
        ex("when is mom's birthday?", "recall", query="mom's birthday"),
        ex("what is the wifi password", "recall", query="wifi password"),
        ex("do you remember my doctor's name?", "recall", query="doctor's name"),
        ex("remind me what my locker code is", "recall", query="locker code"),
        ex("what did I say about the plumber", "recall", query="plumber"),
        ex("who's my dentist?", "recall", query="dentist"),
        ex("where's the spare key", "recall", query="spare key"),
        ex("whats my bike lock combo", "recall", query="bike lock combo"),
        ex("the landlord's name again", "recall", query="landlord's name"),
        ex("what do you know about Jo's flat", "recall", query="jo's flat"),
        ex("what was the storage unit code", "recall", query="storage unit code"),
    ),
)

FORGET = Intent(
    "forget_memory",
    forget,
    patterns=(RE_FORGET,),
    tool="forget_memory",
    priority=83,
    summary="'forget my locker code' (deletes the memory)",
    examples=(
        ex("forget my locker code", "forget_memory", query="locker code"),
        ex("delete the note about the wifi", "forget_memory", query="wifi"),
        ex("forget what I said about the plumber", "forget_memory", query="plumber"),
        ex("erase my old bike lock combo", "forget_memory", query="old bike lock combo"),
        ex("forget about my shoe size", "forget_memory", query="shoe size"),
        ex("remove the memory about my doctor", "forget_memory", query="doctor"),
        ex("forget the spare key note", "forget_memory", query="spare key"),
        ex("delete my note about Jo's flat", "forget_memory", query="jo's flat"),
    ),
)

FORGET_ALL = Intent(
    "forget_everything_about",
    forget_all,
    patterns=(RE_FORGET_ALL,),
    tool="forget_memory",
    priority=86,
    summary="'forget everything about my sister' (deletes every memory about it)",
    examples=(
        ex("forget everything about my sister", "forget_everything_about", everything_about="sister"),
        ex("delete everything you know about the car", "forget_everything_about", everything_about="car"),
        ex("forget all about Jo", "forget_everything_about", everything_about="jo"),
        ex("please erase everything about my ex", "forget_everything_about", everything_about="ex"),
        ex("wipe everything about work", "forget_everything_about", everything_about="work"),
        ex("forget everything I told you about the storage unit", "forget_everything_about",
           everything_about="storage unit"),
        ex("delete all the notes about my old flat", "forget_everything_about", everything_about="old flat"),
        ex("remove everything about Sam", "forget_everything_about", everything_about="sam", tz="Europe/London"),
        ex("forget anything about my landlord", "forget_everything_about", everything_about="landlord"),
    ),
)

FORGET_THAT = Intent(
    "forget_that",
    forget_that,
    patterns=(RE_FORGET_THAT,),
    tool="forget_memory",
    priority=85,
    summary="'forget that' (the memory saved or recalled last)",
    examples=(
        ex("forget that", "forget_that", last=True),
        ex("actually, forget that", "forget_that", last=True),
        ex("delete what I just said", "forget_that", last=True),
        ex("forget the last thing", "forget_that", last=True),
        ex("oops delete that", "forget_that", last=True),
        ex("forget that please", "forget_that", last=True),
        ex("ok forget that one", "forget_that", last=True),
        ex("erase that last one", "forget_that", last=True, tz="Asia/Tokyo"),
        ex("remove that memory", "forget_that", last=True),
    ),
)

OVERVIEW = Intent(
    "memory_overview",
    memory_overview,
    patterns=(RE_OVERVIEW,),
    tool="memory_overview",
    priority=84,
    summary="'what do you know about me' (how many memories, the main ones)",
    examples=(
        ex("what do you know about me", "memory_overview"),
        ex("what do you know about me?", "memory_overview"),
        ex("what have you saved about me", "memory_overview"),
        ex("what do you remember about me", "memory_overview"),
        ex("show me my memories", "memory_overview"),
        ex("what have you got on me", "memory_overview"),
        ex("what did you remember about me", "memory_overview"),
        ex("list my memories", "memory_overview", tz="Europe/Berlin"),
        ex("what have you learned about me", "memory_overview"),
        ex("so what do you know about me", "memory_overview"),
    ),
)

INTENTS = (REMEMBER, PERSONAL_FACT, STATEMENT, RECALL, FORGET, FORGET_ALL, FORGET_THAT, OVERVIEW)
