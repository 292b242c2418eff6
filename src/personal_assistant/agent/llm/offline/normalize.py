"""Normalization before matching: how people text, mapped to the words the intents know.

`normalize(text)` returns a `Normalized`:
- `norm` / `low`: the text the intents match (same length, `low` is `norm` lower-cased): emoji
  and filler ("hmm ok", "so like", "pls", "lol", "i guess") removed, SMS spellings mapped ("2moro"
  -> "tomorrow", "b4" -> "before", "appt" -> "appointment", "rmd" -> "remind"), command words
  with a typo corrected against the command vocabulary ("remidn" -> "remind", "grocerys" ->
  "groceries").
- `own(start, end)`: the person's own words behind a span of `norm`: what gets stored. Emoji and
  filler never come back, SMS spellings and typos do ("dentist appt"), and nothing is cut inside
  a word.
- `emoji`: the emoji that were removed (a lone thumbs-up still means "done").
- `fixes`: how many words were corrected by edit distance (each one lowers confidence a little).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from personal_assistant.agent.llm.offline.style import gsm_safe

# One token -> its plain spelling (matched on the lower-cased token without edge punctuation).
SMS_SPELLINGS = {
    "2moro": "tomorrow", "2morrow": "tomorrow", "2mrw": "tomorrow", "2mro": "tomorrow", "tomoz": "tomorrow",
    "tomo": "tomorrow", "2day": "today", "2nite": "tonight", "2night": "tonight", "tonite": "tonight",
    "nite": "night", "b4": "before", "w/": "with", "w/o": "without", "appt": "appointment",
    "appts": "appointments", "apt": "appointment", "rmd": "remind", "rmnd": "remind", "remd": "remind",
    "rmndr": "reminder", "remindr": "reminder", "pls": "please", "plz": "please", "pleeease": "please",
    "u": "you", "ur": "your", "thx": "thanks", "thnx": "thanks", "thanx": "thanks", "tnx": "thanks",
    "ty": "thanks", "tysm": "thanks", "l8r": "later", "l8er": "later", "abt": "about", "txt": "text",
    "msg": "message", "grocs": "groceries", "grocs.": "groceries", "rn": "now", "wk": "week",
    "mtg": "meeting", "mtgs": "meetings", "bday": "birthday", "b-day": "birthday", "nvm": "nevermind",
    "nvmd": "nevermind", "kk": "ok", "k": "ok", "okey": "ok", "okk": "ok", "okie": "ok", "oki": "ok",
    "gonna": "going to", "wanna": "want to", "gotta": "got to", "dunno": "don't know", "im": "i'm",
    "dont": "don't", "cant": "can't", "wont": "won't", "didnt": "didn't", "isnt": "isn't",
    "doesnt": "doesn't", "thats": "that's", "whats": "what's", "wheres": "where's", "hows": "how's",
    "whens": "when's", "lemme": "let me", "gimme": "give me", "cuz": "because", "bc": "because",
    "b/c": "because", "tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow", "tomorow": "tomorrow",
    "tommorow": "tomorrow", "tommorrow": "tomorrow", "tomorroe": "tomorrow", "2morow": "tomorrow",
    "mins": "min", "minz": "min", "hrs": "hours", "hr": "hour", "sec": "second", "secs": "seconds",
    "mon": "mon", "weds": "wednesday", "thur": "thursday", "thurs": "thursday", "tues": "tuesday",
    "ppl": "people", "yr": "year", "yrs": "years", "ya": "yeah", "yea": "yeah", "yah": "yeah",
    "yh": "yeah", "ye": "yeah", "yess": "yes", "yesss": "yes", "yup": "yup", "yep": "yep",
    "nah": "nah", "naw": "nah", "nope": "nope", "todo": "todo", "to-do": "todo", "2do": "todo",
    "rem": "remind", "mom's": "mom's", "&": "and", "+": "plus", "@": "at", "n": "and",
    "shoppin": "shopping", "groceries.": "groceries", "grocery's": "groceries", "ive": "i've",
    "id": "i'd", "youre": "you're", "theyre": "they're", "hes": "he's", "shes": "she's",
    "wats": "what's", "wat": "what", "wut": "what", "whatre": "what are", "w": "with", "morn": "morning",
    "mornin": "morning", "aft": "afternoon", "arvo": "afternoon", "eve": "evening",
    "evng": "evening", "tues.": "tuesday", "fri.": "friday", "sat.": "saturday",
}  # fmt: skip

# Filler at the edges of a clause (never content): longest first.
LEADING_FILLER = (
    "hmm ok so", "ok so like", "okay so like", "so like", "ok so", "okay so", "um ok", "uh ok", "oh and",
    "and also", "oh also", "oh btw", "quick one", "quick q", "quick question", "real quick", "hey there",
    "hi there", "hello there", "hiya", "hey", "hi", "hello", "yo", "hmm", "hm",
    "hmmm", "um", "umm", "uh", "uhh", "erm", "er", "ok", "okay", "alright", "so", "well",
    "basically", "like", "anyway", "anyways", "btw", "oh", "ah", "ahh", "also", "and", "plus", "then",
    "please", "pls", "kindly", "can you please", "could you please", "can you", "could you", "would you",
    "will you", "can u", "could u", "i need you to", "i want you to", "i'd like you to", "just",
    "ugh", "argh", "oof", "omg", "lol", "haha", "sorry", "sry", "meh", "probably", "honestly", "ngl", "tbh",
)  # fmt: skip
TRAILING_FILLER = (
    "thank you so much", "thanks so much", "thank you", "thanks", "thx", "ty", "please", "pls", "plz",
    "lol", "lmao", "haha", "hehe", "i guess", "i think", "i suppose", "if you can", "if possible",
    "for me", "mate", "buddy", "xx", "xo", "ta", "cheers", "thanks!", "tbh", "ngl", "honestly", "probably",
)  # fmt: skip
# Interjections removed anywhere (between words too).
INTERJECTIONS = frozenset({"um", "umm", "uh", "uhh", "erm", "hmm", "hmmm", "hm", "ugh"})
# Messages that are nothing but these words are answers in themselves ("ok", "thanks"): the
# filler stays when removing it would leave nothing.

# Command vocabulary for typo correction (edit distance 1, or 2 for long words).
COMMAND_WORDS = (
    "remind", "reminder", "reminders", "groceries", "grocery", "shopping", "cancel", "snooze", "delete",
    "remove", "remember", "tasks", "expense", "expenses", "spent", "focus", "timezone", "quiet",
    "checkin", "goals", "tomorrow", "tonight", "morning", "evening", "afternoon", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "minutes", "breakdown", "pomodoro",
    "reschedule", "list", "undo", "spending", "settings", "currency",
)  # fmt: skip
# Real words one typo away from a command word: never "corrected".
NOT_TYPOS = frozenset({
    "cancer", "remain", "remains", "mourning", "quite", "quit", "quilt", "goats", "coals", "gaols",
    "spend", "spend.", "locus", "fours", "tasks", "mask", "masks", "today", "torrow", "morrow", "moaning",
    "evenings", "evenly", "events", "mondays", "fridays", "sundays", "sunday's", "lists", "lust", "last",
    "listen", "lisa", "undone", "under", "undue", "render", "reader", "reminds", "reminded", "remote",
    "renew", "remedy", "deleted", "removed", "remover", "removes", "camel", "panel", "shopping.",
    "shipping", "chopping", "stopping", "snoozed", "minute", "minuets", "spender", "focal", "focused",
    "settling", "setting", "sittings", "current", "currents", "cutlery", "mornings", "tonights",
    "afternoons", "satur", "reschedules", "grocer", "grocers", "expensive", "expenses", "expensed",
    "remembered", "remembers", "member", "members", "check", "checks", "chicken", "checking", "listed",
    "fiscal", "goal", "goals.", "taste", "tasty", "toast", "lists.", "undos", "spends",
})  # fmt: skip

_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\U00002600-\U000027BF\U0001F1E6-\U0001F1FF\u2B00-\u2BFF\uFE0F\u200D\u20E3"
    "\U0001F3FB-\U0001F3FF\u2190-\u21FF\u2300-\u23FF\u2500-\u25FF\u3030\u303D\u3297\u3299]"
)
_EMOTICON = re.compile(r"(?<!\S)(?::-?[)(DPp/|]|;-?[)]|<3|:\*|xD|XD|\^\^|\^_\^|:'\()(?!\S)")
_EDGE_PUNCT = "\"'()[]{}*_~"


@dataclass
class Token:
    orig: str  # the person's spelling (emoji removed)
    start: int  # span in the original text
    end: int
    norm: str  # the spelling the intents match ("" when dropped)
    fixed: bool = False  # corrected by edit distance


@dataclass
class Normalized:
    original: str
    norm: str
    low: str
    tokens: list[Token]
    offsets: list[tuple[int, int]]  # span of each kept token in `norm`, same order as `kept`
    kept: list[Token]
    emoji: list[str] = field(default_factory=list)
    fixes: int = 0
    joiner: str | None = None  # a leading "and"/"plus"/"also" that was dropped (a follow-up)

    def own(self, start: int, end: int) -> str:
        """The person's own words behind `norm[start:end]` (see module doc)."""
        if start >= end:
            return ""
        words: list[str] = []
        for (t_start, t_end), token in zip(self.offsets, self.kept, strict=True):
            if t_end <= start or t_start >= end:
                continue
            if t_start >= start and t_end <= end:
                words.append(token.orig)
            else:  # the span starts or ends inside this token: take the matched part of norm
                words.append(self.norm[max(start, t_start) : min(end, t_end)])
        return re.sub(r"\s+", " ", " ".join(words)).strip()


def osa_distance(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent transpositions, giving up (limit + 1) beyond `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def correct_command_word(word: str) -> str | None:
    """The command word `word` is a typo of, or None."""
    if len(word) < 5 or not word.isalpha() or word in NOT_TYPOS or word in COMMAND_WORDS:
        return None
    best, best_distance = None, 9
    for target in COMMAND_WORDS:
        if target[0] != word[0]:
            continue
        limit = 1 if len(target) < 8 else 2
        distance = osa_distance(word, target, limit)
        if distance <= limit and distance < best_distance:
            best, best_distance = target, distance
    return best


def _strip_emoji(text: str) -> tuple[str, list[str]]:
    found = _EMOJI.findall(text) + _EMOTICON.findall(text)
    text = _EMOJI.sub(" ", text)
    text = _EMOTICON.sub(" ", text)
    return text, [e for e in found if e not in ("\ufe0f", "\u200d")]


_TO_BEFORE = frozenset({"me", "want", "need", "going", "have", "got", "like", "how", "able", "forget", "try", "gotta"})


def _tokens(text: str) -> list[Token]:
    out = []
    for m in re.finditer(r"\S+", text):
        word = m.group(0)
        key = word.lower().strip(_EDGE_PUNCT).rstrip(",.!?;:")
        trail = word[len(word.rstrip(",.!?;:")) :] if word.rstrip(",.!?;:") != word else ""
        norm = word
        fixed = False
        if re.fullmatch(r"\+\$?\d+(?:[.,]\d+)?", key):  # "+2 for a tip": "plus" and the amount
            out.append(Token("+", m.start(), m.start() + 1, "plus"))
            out.append(Token(word[1:], m.start() + 1, m.end(), word[1:]))
            continue
        if key == "2" and out and out[-1].norm.lower() in _TO_BEFORE:
            norm = "to" + trail  # "remind me 2 call", "want 2 go"
        elif key in SMS_SPELLINGS and SMS_SPELLINGS[key] != key:
            norm = SMS_SPELLINGS[key] + trail
        elif key.isalpha():
            fix = correct_command_word(key)
            if fix is not None:
                norm, fixed = fix + trail, True
        out.append(Token(word, m.start(), m.end(), norm, fixed))
    return out


def _phrase_at(tokens: list[Token], index: int, phrase: str) -> int:
    """How many tokens from `index` spell `phrase` (0 when they do not)."""
    words = phrase.split()
    if index + len(words) > len(tokens):
        return 0
    for offset, word in enumerate(words):
        token = tokens[index + offset].norm.lower().strip(_EDGE_PUNCT).rstrip(",.!?;:")
        if token != word:
            return 0
    return len(words)


_LEADING = sorted(LEADING_FILLER, key=lambda p: -len(p.split()))
_TRAILING = sorted(TRAILING_FILLER, key=lambda p: -len(p.split()))


JOINERS = frozenset({"and", "plus", "also", "oh and", "and also", "oh also", "then"})


def _drop_edges(tokens: list[Token]) -> str | None:
    """Mark leading/trailing filler and interjections as dropped (norm ""), keeping at least one
    word. Returns the leading joiner that was dropped, if any ("and a lemon")."""
    joiner = None
    live = [t for t in tokens if t.norm]
    for token in live:
        if token.norm.lower().strip(",.!?") in INTERJECTIONS and len(live) > 1:
            token.norm = ""
    live = [t for t in tokens if t.norm]
    changed = True
    while changed and len(live) > 1:
        changed = False
        for phrase in _LEADING:
            n = _phrase_at(live, 0, phrase)
            if n and n < len(live):
                if phrase in JOINERS and joiner is None:
                    joiner = phrase.split()[-1] if phrase != "then" else "then"
                for token in live[:n]:
                    token.norm = ""
                live = live[n:]
                changed = True
                break
    changed = True
    while changed and len(live) > 1:
        changed = False
        for phrase in _TRAILING:
            words = phrase.split()
            start = len(live) - len(words)
            if start > 0 and _phrase_at(live, start, phrase):
                trail = live[-1].norm[len(live[-1].norm.rstrip(",.!?;:")) :]
                for token in live[start:]:
                    token.norm = ""
                live = live[:start]
                if trail and "?" in trail:
                    live[-1].norm = live[-1].norm.rstrip(",.!;:") + "?"
                changed = True
                break
    return joiner


def normalize(text: str | None, *, drop_filler: bool = True) -> Normalized:
    """See the module doc. Never raises; an empty text gives empty strings."""
    original = re.sub(r"\s+", " ", gsm_safe(text or "")).strip()
    stripped, emoji = _strip_emoji(original)
    tokens = _tokens(stripped)
    joiner = _drop_edges(tokens) if drop_filler else None
    kept = [t for t in tokens if t.norm]
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    for token in kept:
        if parts:
            pos += 1
        offsets.append((pos, pos + len(token.norm)))
        parts.append(token.norm)
        pos += len(token.norm)
    norm = " ".join(parts)
    low = norm.lower()
    if len(low) != len(norm):  # a few Unicode letters change length when lowered
        norm = low
    return Normalized(original, norm, low, tokens, offsets, kept, emoji, sum(t.fixed for t in kept), joiner)
