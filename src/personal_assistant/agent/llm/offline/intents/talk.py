"""Talk: small talk, help, and support (warmth first, then one tiny concrete step).

Nothing here stores anything: a feeling is never turned into a task.
"""

from __future__ import annotations

import re

from personal_assistant.agent.llm.offline.intent import Intent, Reading, ex
from personal_assistant.agent.llm.offline.message import Msg, say
from personal_assistant.agent.llm.offline.style import clip, second_person

CAPABILITIES = (
    "I can do reminders, tasks, groceries, expenses, goals, notes and focus timers. Try 'remind me to call mom at 7pm'."
)
RE_GREETING = re.compile(
    r"^(?:hi+|hey+|hello+|hiya|howdy|yo|sup|wassup|what's up|whats up|good (?:morning|afternoon|evening|day)|"
    r"morning|afternoon|evening|gm|hola|heya|hey there|hi there|hello there|hey you|hi again|hey again|"
    r"top of the morning)(?:\s+(?:there|friend|bot|assistant|buddy|pal|mate|you))?$"
)
RE_NIGHT = re.compile(r"^(?:good ?night|gn|night night|nighty night|night|sleep well|off to bed|going to bed|bedtime)$")
RE_THANKS = re.compile(
    r"^(?:thanks?|thank you|thank u|thanks a lot|many thanks|cheers|appreciate it|appreciated|great|awesome|cool|nice|"
    r"perfect|love it|love that|love you|you're the best|youre the best|amazing|brilliant|lovely|sweet|legend|"
    r"you rock|good bot|ok cool|cool thanks|great thanks|perfect thanks|ok great|ok perfect|ok thanks|okay thanks|"
    r"thanks so much|thank you so much|much appreciated|lifesaver|you're a lifesaver|nice one|ta|good job|well done)"
    r"(?: so much| a lot| again| buddy| mate)?!*$"
)
RE_HOW_ARE_YOU = re.compile(r"^(?:how are you|how're you|how r you|how are u|how's it going|hows it going|you ok|"
                            r"how are things|how's your day|how you doing|how are you doing)$")
RE_HELP = re.compile(
    r"^(?:help|\?|menu|commands|what can you do|what do you do|how does this work|how do you work|options|"
    r"what can i (?:say|ask|text)|info|who are you|what are you|start over|hello\?|what can you help(?: me)? with|"
    r"how can you help(?: me)?|what do you help with|what else can you do|how do i use this|what is this)$"
)
RE_LAUGH = re.compile(r"^(?:lol|lmao|rofl|haha+|hehe+|ha|heh|ahaha+|hah+|lolol|haha sure|haha ok|lol ok|lol yes)+$")
RE_OK = re.compile(
    r"^(?:no|nah|nope|not now|no thanks|no thank you|all good|i'm good|im good|never ?mind|nvm|nevermind|ok|okay|k|"
    r"kk|sure|yes|yeah|yep|yup|alright|fine|got it|understood|noted|roger|sounds good|makes sense|fair|"
    r"true|right|ok then|oh ok|oh okay|ah ok|i see|haha sure|sure thing|will do|okey dokey|cool cool|yay|wow|"
    r"oh|hmm|hm|meh|ugh|oops|whoops|omg|idk|maybe)$"
)
RE_FORGOT = re.compile(r"^(?:(?:oops|oh no|no|ugh|dang|damn|crap|shoot|argh|oh|omg),?\s+)*i\s+"
                       r"(?:totally\s+|completely\s+)?"
                       r"(?:forgot|missed|didn'?t)\s+(?:to\s+)?(?P<what>.+)$")

# Support: (kind, pattern). Warmth first, then one tiny concrete step; never the generic fallback.
SUPPORT = (
    ("shame", r"\b(?:i'?m|i am|im|i feel|feel(?:ing)?|i'm such)\s+(?:like\s+)?(?:a\s+|such a\s+|so\s+|a total\s+|"
              r"a complete\s+)?(?:failure|useless|worthless|lazy|stupid|idiot|mess|disaster|loser|joke|fraud|"
              r"hopeless|pathetic|broken|disappointment|burden)\b|\bi (?:suck|hate myself|can'?t do anything right|"
              r"always mess (?:it|things|everything) up|mess everything up|ruin everything|let everyone down)\b"
              r"|\b(?:ashamed|embarrassed|disappointed in myself|so behind|behind on everything|failing at)\b"
              r"|\bwhat'?s wrong with me\b|\bi (?:forgot|missed|messed up|screwed up|blew it) again\b"
              r"|\b(?:scatterbrained|all over the place|can never stick to|never stick to anything|can'?t stick to|"
              r"i hate that i|i hate how i|never finish anything|can'?t do anything right|so disorganized)\b"),
    ("overwhelm", r"\b(?:overwhelmed|overwhelming|too much|drowning|can'?t cope|can'?t handle|swamped|spiral+ing|"
                  r"freaking out|panick?ing|panic attack|anxious|anxiety|stressed|stressing|stress|so much to do|"
                  r"piling up|everything at once|losing it|falling apart|can'?t keep up|in over my head|"
                  r"brain is (?:fried|mush|full|melting)|head is (?:spinning|full)|frazzled|scattered|chaos)\b"),
    ("tired", r"\b(?:exhausted|tired|tired af|burnt out|burned out|burnout|no energy|"
              r"drained|wiped(?: out)?|running on empty|can'?t get out of bed|dead on my feet|knackered|"
              r"shattered|zonked|fatigued|sleepy|worn out|no spoons|out of spoons|brain fog|foggy)\b"),
    ("low", r"\b(?:sad|feel(?:ing)? down|so down|bit down|really down|i'?m down|depressed|lonely|crying|cried|"
            r"miserable|rough day|bad day|awful day|terrible day|"
            r"not okay|not ok|not doing (?:great|well|good)|struggling|feel(?:ing)? low|feel(?:ing)? like crap|"
            r"feel(?:ing)? like shit|feel(?:ing)? awful|feel(?:ing)? terrible|hard day|tough day|having a hard time|"
            r"heartbroken|upset|hurt(?:ing)? inside)\b"),
    ("stuck", r"\b(?:can'?t focus|cant focus|can'?t concentrate|can'?t start|can'?t get (?:going|started|anything "
              r"done)|unmotivated|no motivation|procrastinat\w*|distracted|zoning out|paralys\w*|paralyz\w*|stuck|"
              r"frozen|can'?t make myself|doom ?scroll\w*|wasted (?:the|my) (?:whole )?(?:day|morning))\b"),
)
_SUPPORT = tuple((kind, re.compile(pattern)) for kind, pattern in SUPPORT)
REPLIES = {
    "shame": [
        "Hey, go easy on yourself. An ADHD brain getting stuck is not a character flaw. Tiny step: name one thing "
        "you did today, even small.",
        "You're not a failure, you're a person with a lot on. Tiny step: pick the smallest thing and do just that. "
        "Want me to hold the rest?",
    ],
    "overwhelm": [
        "That's a lot to hold. Tiny step: text me the one thing that matters most, and I'll keep the rest safe.",
        "Deep breath, it's okay. Tiny step: set a 5-min timer and do only the first thing. Text 'focus 5' and I'll "
        "time it.",
    ],
    "tired": [
        "You sound wiped. Rest counts as doing something. Tiny step: a glass of water, then 5 minutes of nothing.",
        "That's real tiredness. Be kind to yourself tonight. Tiny step: pick one thing to drop today. I'll remind "
        "you tomorrow.",
    ],
    "low": [
        "I'm sorry today is hard. You don't have to fix it all. Tiny step: text one person you like, or step outside "
        "for 2 min.",
        "That sounds really hard, and it's okay to feel it. Tiny step: something warm to drink. I'm here.",
    ],
    "stuck": [
        "Starting is the hardest part, not you. Tiny step: 2 minutes on the easiest bit. Text 'focus 2' and I'll "
        "time it.",
        "Totally normal with ADHD. Tiny step: text me the task and I'll break it into tiny steps.",
    ],
}


def small_talk(m: Msg, _match: re.Match[str] | None) -> Reading | None:
    low = m.low
    name = (m.ctx.user_name or "").split(" ")[0]
    hi = f"Hi {name}!" if name else "Hi!"
    if RE_NIGHT.match(low):
        return Reading("small_talk", say(m.voice.pick(
            "night", ["Good night! Rest well. I'll be here tomorrow.", "Sleep well! One day at a time."])))
    if RE_GREETING.match(low):
        return Reading("small_talk", say(m.voice.pick("greet", [
            f"{hi} What's one thing on your mind right now?",
            f"{hi} Need a reminder, a task, or a focus timer?",
            f"{hi} I'm here. What can I take off your plate?",
        ])))
    if RE_THANKS.match(low):
        return Reading("small_talk", say(m.voice.pick(
            "thanks", ["Anytime! I'm here when you need me.", "Happy to help!", "You got it."])))
    if RE_HOW_ARE_YOU.match(low):
        return Reading("small_talk", say(m.voice.pick("how", [
            "I'm good, thanks for asking! How are you doing?", "All good here. What's on your plate today?"])))
    if RE_LAUGH.match(low) or (not low and m.emoji and not set(m.emoji) & set("\U0001F44D\u2705")):
        return Reading("small_talk", say(m.voice.pick(
            "laugh", ["Ha! Anything I can help with?", "Glad you're smiling! Need anything?"])))
    if RE_OK.match(low):
        return Reading("small_talk", say(m.voice.pick(
            "no", ["Okay! I'm here if you need me.", "No problem. Text me anytime."])), 0.9)
    return None


def help_text(m: Msg, _match: re.Match[str] | None) -> Reading:
    return Reading("help", say(CAPABILITIES))


def forgot(m: Msg, match: re.Match[str] | None) -> Reading | None:
    if match is None:
        return None
    if re.search(r"\bagain\b", m.low):
        return None  # "I forgot again" is shame: support answers
    words = clip(m.own(match.start("what"), match.end("what")), 50)
    what = second_person(words)
    return Reading("forgot", say(
        m.voice.pick(
            "forgot",
            [
                f"It happens, no guilt. Can you {what} now? Or text 'remind me at 9pm to {words}'.",
                f"That's okay! Want a nudge next time? Text 'remind me tomorrow at 9am to {words}'.",
            ],
        ),
        limit=200,
    ))


def support(m: Msg, _match: re.Match[str] | None) -> Reading | None:
    for kind, pattern in _SUPPORT:
        if pattern.search(m.low):
            return Reading("support", say(m.voice.pick("support-" + kind, REPLIES[kind])), 0.95,
                           detail={"kind": kind})
    return None


SMALL_TALK = Intent(
    "small_talk",
    small_talk,
    priority=90,
    summary="'thank u!!', 'morning :)', 'haha sure': a short human reply, nothing stored",
    examples=(
        ex("hi", "small_talk", expect="answer", says="Sam"),
        ex("morning :)", "small_talk", expect="answer"),
        ex("thank u!!", "small_talk", expect="answer"),
        ex("haha sure", "small_talk", expect="answer"),
        ex("good night", "small_talk", expect="answer", says="night"),
        ex("ok cool", "small_talk", expect="answer"),
        ex("how are you?", "small_talk", expect="answer"),
        ex("nah", "small_talk", expect="answer", says="here"),
        ex("hey", "small_talk", expect="answer"),
        ex("Good morning!", "small_talk", expect="answer", says="Sam"),
        ex("thanks!", "small_talk", expect="answer"),
        ex("lol", "small_talk", expect="answer"),
        ex("gn", "small_talk", expect="answer", says="night"),
        ex("you're the best", "small_talk", expect="answer"),
        ex("cheers mate", "small_talk", expect="answer"),
        ex("hiya", "small_talk", expect="answer"),
        ex("sounds good", "small_talk", expect="answer"),
        ex("ok", "small_talk", expect="answer"),
        ex("perfect thanks", "small_talk", expect="answer"),
        ex("haha", "small_talk", expect="answer"),
        ex("yo", "small_talk", expect="answer"),
        ex("good evening", "small_talk", expect="answer"),
        ex("love it", "small_talk", expect="answer"),
        ex("thank you so much", "small_talk", expect="answer"),
        ex("how's it going", "small_talk", expect="answer"),
        ex("alright", "small_talk", expect="answer"),
    ),
)

HELP = Intent(
    "help",
    help_text,
    patterns=(RE_HELP,),
    priority=90,
    summary="'help', 'what can you do?'",
    examples=(
        ex("help", "help", expect="answer", says="remind me"),
        ex("what can you do?", "help", expect="answer"),
        ex("menu", "help", expect="answer"),
        ex("how does this work", "help", expect="answer"),
        ex("what can i say", "help", expect="answer"),
        ex("who are you", "help", expect="answer"),
        ex("what else can you do", "help", expect="answer"),
        ex("how can you help me", "help", expect="answer"),
        ex("commands", "help", expect="answer"),
        ex("what do you do", "help", expect="answer"),
        ex("options", "help", expect="answer"),
        ex("how do i use this", "help", expect="answer"),
        ex("info", "help", expect="answer"),
        ex("what can you help with", "help", expect="answer"),
        ex("what is this", "help", expect="answer"),
    ),
)

FORGOT = Intent(
    "forgot",
    forgot,
    patterns=(RE_FORGOT,),
    priority=70,
    summary="'I forgot to take my meds': no guilt, and how to get a nudge next time",
    examples=(
        ex("I forgot to take my meds", "forgot", expect="answer", says="remind me"),
        ex("oops i forgot to call mom", "forgot", expect="answer", says="call mom"),
        ex("ugh I missed the dentist", "forgot", expect="answer", says="remind me"),
        ex("I didn't pay the phone bill", "forgot", expect="answer", says="remind me"),
        ex("i totally forgot to email Jo", "forgot", expect="answer", says="email Jo"),
        ex("oh no i forgot the bins", "forgot", expect="answer"),
        ex("dang i missed my workout", "forgot", expect="answer"),
        ex("I forgot to water the plants", "forgot", expect="answer", says="water the plants"),
        ex("shoot i forgot to feed the cat", "forgot", expect="answer"),
        ex("i forgot to take out the recycling", "forgot", expect="answer"),
        ex("I missed my appointment", "forgot", expect="answer"),
        ex("i didnt call the bank", "forgot", expect="answer"),
    ),
)

SUPPORT_INTENT = Intent(
    "support",
    support,
    priority=81,
    summary="distress, overwhelm, shame, exhaustion: warmth first and one tiny step, never a task",
    examples=(
        ex("I feel like a failure", "support", expect="answer", says="tiny step"),
        ex("im so overwhelmed rn", "support", expect="answer", says="tiny step"),
        ex("I'm exhausted", "support", expect="answer", says="tiny step"),
        ex("ugh i'm such a mess", "support", expect="answer", says="tiny step"),
        ex("i'm dead on my feet", "support", expect="answer", says="tiny step"),
        ex("can't focus at all today", "support", expect="answer", says="tiny step"),
        ex("rough day", "support", expect="answer", says="tiny step"),
        ex("I'm useless", "support", expect="answer", says="tiny step"),
        ex("i hate myself for forgetting again", "support", expect="answer", says="tiny step"),
        ex("everything is piling up", "support", expect="answer", says="tiny step"),
        ex("I'm so stressed about work", "support", expect="answer", says="tiny step"),
        ex("burnt out", "support", expect="answer", says="tiny step"),
        ex("no energy today", "support", expect="answer", says="tiny step"),
        ex("feeling really down", "support", expect="answer", says="tiny step"),
        ex("i'm so behind on everything", "support", expect="answer", says="tiny step"),
        ex("my brain is fried", "support", expect="answer", says="tiny step"),
        ex("I feel so lonely", "support", expect="answer", says="tiny step"),
        ex("procrastinating hard today", "support", expect="answer", says="tiny step"),
        ex("im freaking out", "support", expect="answer", says="tiny step"),
        ex("what's wrong with me", "support", expect="answer", says="tiny step"),
        ex("so tired of everything", "support", expect="answer", says="tiny step"),
        ex("I'm a disaster", "support", expect="answer", says="tiny step"),
        ex("can't concentrate", "support", expect="answer", says="tiny step"),
        ex("I messed up again", "support", expect="answer", says="tiny step"),
        ex("wiped out", "support", expect="answer", says="tiny step"),
        ex("having a hard time", "support", expect="answer", says="tiny step"),
        ex("i feel like crap", "support", expect="answer", says="tiny step"),
        ex("totally scattered today", "support", expect="answer", says="tiny step"),
        ex("I'm anxious about tomorrow", "support", expect="answer", says="tiny step"),
    ),
)

INTENTS = (SMALL_TALK, HELP, FORGOT, SUPPORT_INTENT)
