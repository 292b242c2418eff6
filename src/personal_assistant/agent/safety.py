"""Safety: crisis language is screened before anything else, and answered with the local line.

- `screen(text)` finds words about suicide, self-harm, or wanting to die or to hurt oneself, in
  many phrasings (SMS spellings, typos of "suicide", inside "add task ..." or "remind me ...").
  Figures of speech ("I'm dead on my feet", "this traffic is killing me", "kill the lights", "I
  could die of embarrassment") and plain negations ("I'm not suicidal, just tired") do not match.
  It is pure and cheap: the provider chain runs it on every text before any provider sees it, and
  the Runner on the arguments of every data-changing tool call.
- `crisis_reply(country)` is the short, kind answer naming the crisis line of the user's country
  (one GSM-7 segment).
- `country_for(phone, tz)` reads the country from the phone number's calling code, else the zone.

When the screen matches, nothing is stored and no LLM is called: a false positive costs one
kind message, a false negative could cost far more, so doubtful phrasings lean towards matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- screening -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CrisisMatch:
    """What the screen found (never the user's words: logs may carry `kind` and `rule` only)."""

    kind: str  # suicide|self_harm
    rule: str  # the name of the pattern that matched


# SMS spellings and slang mapped to plain words before matching.
_SPELLINGS: tuple[tuple[str, str], ...] = (
    (r"\bkms\b", "kill myself"),
    (r"\bkmslf\b", "kill myself"),
    (r"\bunalive\b", "kill"),
    (r"\bunaliving\b", "killing"),
    (r"\bsewer ?slide\b", "suicide"),
    (r"\bself ?-? ?harm(ing|ed)?\b", r"selfharm\1"),
    (r"\bsh myself\b", "harm myself"),
    (r"\bwanna\b", "want to"),
    (r"\bwana\b", "want to"),
    (r"\bgonna\b", "going to"),
    (r"\bgunna\b", "going to"),
    (r"\btryna\b", "trying to"),
    (r"\bgotta\b", "got to"),
    (r"\b(want|going|need|planning|plan|trying|try|like|about|ready) 2\b", r"\1 to"),
    (r"\b2 (die|live|end|kill|hurt|cut|be)\b", r"to \1"),
    (r"\bu\b", "you"),
    (r"\bur\b", "your"),
    (r"\bim\b", "i'm"),
    (r"\bi m\b", "i'm"),
    (r"\bive\b", "i've"),
    (r"\bid\b", "i'd"),
    (r"\b(do|does|did|can|could|would|should|is|are|was|were|have|has|had|wo|ca)nt\b", r"\1n't"),
    (r"\bdont\b", "don't"),
    (r"\bcant\b", "can't"),
    (r"\bwont\b", "won't"),
    (r"\bmy ?self\b", "myself"),
    (r"\bmyslef\b", "myself"),
    (r"\bmyslf\b", "myself"),
    (r"\bmeself\b", "myself"),
    (r"\banymore\b", "any more"),
    (r"\bany ?mo\b", "any more"),
    (r"\bplz\b|\bpls\b", "please"),
    (r"\bgoodbye\b", "good bye"),
    (r"\bbc\b|\bcuz\b|\bcos\b", "because"),
)
_COMPILED_SPELLINGS = tuple((re.compile(a), b) for a, b in _SPELLINGS)

# Words that sound like a crisis but are ordinary in these phrases (checked on the normalized text).
_FIGURES = re.compile(
    r"\bdie (?:of|from) (?:embarrassment|laughter|laughing|boredom|shame|cuteness|happiness|joy|envy|curiosity|"
    r"hunger|thirst|old age|the heat|the cold)\b"
    r"|\b(?:dying|dyin) (?:to|for|of laughter|laughing|of boredom|of embarrassment)\b"
    r"|\bdie (?:my|her|his|the|your) (?:hair|clothes|shirt|eggs|fabric)\b"
    r"|\bdie for\b"
    r"|\bto die for\b"
    r"|\bwould rather die than\b|\b'd rather die than\b|\brather die than\b"
    r"|\bkill(?:ed|ing)? myself laughing\b"
    r"|\bkilling myself (?:to|over|at work|at the gym|for|with work|working)\b"
    r"|\bkill(?:ed|ing)? myself (?:at|in) the gym\b"
    r"|\bwant to die (?:on|in) (?:this|that) hill\b|\bdie on (?:this|that) hill\b"
    r"|\bsuicide (?:squad|prevention|awareness|doors?|sprints?|runs?|drills?|bombers?|bombing|king|pact movie)\b"
    r"|\bdied by suicide\b|\bcommitted suicide\b|\bsuicide of\b"
)

# Accidental injuries ("I cut myself shaving") are not self-harm.
_ACCIDENT = (
    r"(?:shaving|cooking|chopping|cutting|slicing|gardening|playing|running|lifting|climbing|at work|at the gym|"
    r"on (?:a|the|some|my)|with (?:a|the) (?:knife|razor|paper|can|saw|scissors)|by accident|accidentally|"
    r"a (?:slice|piece|bit|break|little slack|favou?r)|some (?:slack|cake|bread|pie)|when i|while i|yesterday|"
    r"earlier|last (?:night|week)|this morning|opening|making|fixing|doing|a little|slightly|bad(?:ly)?|"
    r"pretty bad(?:ly)?|in the kitchen|at practice)"
)

# Patterns: (kind, rule, regex). A pattern with its own negation ("don't want to live") is never
# cancelled by a negation in front of it.
_POSITIVE: tuple[tuple[str, str, str], ...] = (
    ("suicide", "suicide_word", r"\bsuicid\w*|\bsuicde\w*|\bsucid\w*|\bsuiside\w*|\bsuicid\b|\bselfdeath\b"),
    ("suicide", "kill_myself", r"\bkill(?:ing|ed)? (?:myself|me self|my self)\b"),
    ("suicide", "end_my_life",
     r"\b(?:end|ending|ended|take|taking|took) (?:my|my own) (?:life|lives)\b|\bend(?:ing)? it all\b"
     r"|\bend(?:ing)? everything\b|\bend(?:ing)? my (?:own )?existence\b|\bend(?:ing)? it (?:tonight|today|now|soon)\b"
     r"|\b(?:going|want|plan|planning|ready|decided) to end it\b(?!\s+with)"
     r"|\bfinish(?:ing)? myself off\b|\bend myself\b"),
    ("suicide", "want_to_die",
     r"\b(?:want|wanted|wanting|wish|wishing|ready|going|deserve|need|hoping|hope|praying|like) to (?:just )?die\b"
     r"|\bwant(?:ed)? (?:to be|to just be|be) dead\b|\bwish(?:ed)? i (?:was|were|could be) dead\b"
     r"|\bwish(?:ed)? i(?: could| would|'d) (?:just )?die\b"
     r"|\bwish(?:ed)? i(?: was| were| had|'d) never (?:been )?born\b"
     r"|\bi should (?:just )?die\b|\bi'd be better off dead\b|\bbetter off dead\b|\bready to go for good\b"
     r"|\bwant (?:it|this|everything) (?:all )?to (?:be over|end|stop) (?:for good|forever|permanently)\b"
     r"|\blet me die\b|\bwant to stop existing\b"
     r"|\bwish(?:ed)? i (?:didn't|did not|wouldn't|would not) wake up\b|\bwish(?:ed)? i could disappear forever\b"
     r"|\bwant to disappear forever\b|\bwant to fall asleep and never wake up\b|\bnever wake up again\b"
     r"|\b(?:want|wanna|wish i could|like) to (?:just )?(?:go to )?sleep forever\b"
     r"|\bwish i could (?:just )?(?:go to )?sleep forever\b"
     r"|\bwish i could (?:just )?disappear\b|\bgiv(?:e|ing) up on (?:life|living|being alive)\b"
     r"|\b(?:what'?s|whats|what is) the point (?:of|in) (?:living|life|going on|being alive|it all|existing)\b"
     r"|\b(?:thinking (?:of|about)|going to|want to|planning to|ready to) end(?:ing)? things\b(?! with)"),
    ("suicide", "not_want_to_live",
     r"\b(?:don't|do not|didn't|no longer|dont|not|never) (?:really )?(?:want|wanna|wish) to "
     r"(?:live|be alive|exist|be here any more|wake up|be around any more|go on|keep living|keep going any more)\b"
     r"|\bdon't want to be here\b(?! (?:for|at|in|when|tomorrow|tonight|today|on|with))"
     r"|\bno (?:reason|point) (?:to|in) (?:live|living|go on|going on|being alive|existing|being here)\b"
     r"|\bnothing (?:left )?to live for\b|\blife (?:is|isn't|is not|ain't) (?:not )?worth (?:living|it any more)\b"
     r"|\bnot worth living\b|\bcan't (?:go on|keep going|do life) (?:any more|living)\b|\bcan't go on living\b"
     r"|\btired of (?:living|being alive|life itself|existing)\b|\bdone with (?:life|living|being alive)\b"
     r"|\b(?:everyone|everybody|the world|they|people|my family|my kids|my friends) (?:would|will|'d) be "
     r"better off without me\b|\bbetter off without me\b|\bworld without me\b|\bno one would (?:miss|care if) "
     r"(?:me|i died|i was gone)\b|\bnobody would (?:miss|care if) (?:me|i died|i was gone)\b"
     r"|\bwon't be (?:here|around) (?:much longer|tomorrow|any more)\b"),
    ("suicide", "method",
     r"\b(?:hang|shoot|drown|poison|gas|stab|electrocute) myself\b"
     r"|\bjump(?:ing)? (?:off|from|in front of) (?:a|the|my)? ?(?:bridge|building|roof|cliff|train|balcony|car|bus)\b"
     r"|\b(?:overdose|overdosing|overdosed)\b(?! on (?:coffee|caffeine|sugar|candy|chocolate|netflix|tv|tiktok))"
     r"|\bod(?:'?ing)? on (?:my |the |all )?(?:pills|meds|medication|tablets|sleeping pills)\b"
     r"|\btake (?:all|every one) of (?:my|the) (?:pills|meds|tablets)\b"
     r"|\btak(?:e|ing) all (?:my|the|of my) (?:pills|meds|tablets|sleeping pills)(?: at once)?\b"
     r"|\bswallow (?:all )?(?:my|the) (?:pills|tablets)\b|\b(?:slit|cut|slash) my (?:wrists?|throat)\b"
     r"|\bbuy (?:a )?rope to\b|\bwrite (?:a|my) (?:suicide|good ?bye) note\b|\bgood ?bye note\b"
     r"|\bplan(?:ning)? my (?:own )?(?:death|suicide)\b|\bhow to (?:die|end it)\b|\bpainless(?:ly)? (?:way to )?die\b"),
    ("self_harm", "selfharm_word", r"\bselfharm\w*\b"),
    ("self_harm", "hurt_myself",
     r"\b(?:want|wanting|going|need|urge|urges|trying|tempted|plan|planning|thinking about|feel like|feeling "
     r"like|might|could|about) (?:to )?(?:hurt|harm|cut|burn|punish|injure|starve|hit) myself\b"
     r"|\b(?:hurting|harming|cutting|burning|injuring|starving) myself\b"
     r"|\b(?:started|start|keep|kept|been) (?:hurting|harming|cutting|burning) myself\b"
     r"|\bcut myself again\b|\bhurt myself again\b|\brelapsed?\b.{0,20}\b(?:cutting|selfharm)"
     rf"|\b(?:i |i've |i have |i just )?(?:cut|burned|burnt) myself\b(?! {_ACCIDENT})"
     r"|\bcut(?:ting)? (?:my|on my) (?:arms?|legs?|thighs?|skin)\b"),
)
_COMPILED = tuple((kind, rule, re.compile(rx)) for kind, rule, rx in _POSITIVE)
_SELF_NEGATED = {"not_want_to_live"}
# A negation right before a phrase cancels it ("I'm not suicidal", "I would never kill myself",
# "I don't want to die"). "No longer" is not a negation here ("I no longer want to live").
_NEGATION = re.compile(
    r"(?:\bnot\b|\bnever\b|n't\b|\bno way\b|\bnor\b|\bwithout\b)(?:\s+\S+){0,3}\s*$"
)
_SUICIDE_WORDS = ("suicide", "suicidal")


def _fold(text: str) -> str:
    """Lower case, straight quotes, no emoji, SMS spellings mapped: the text the patterns read."""
    low = text.lower()
    low = low.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    low = re.sub(r"[.;!?\n]+", ",", low)
    low = re.sub(r"[^a-z0-9',\s]", " ", low)
    low = re.sub(r"\s*,[\s,]*", ", ", low)
    low = re.sub(r"\s+", " ", low).strip(" ,")
    for pattern, repl in _COMPILED_SPELLINGS:
        low = pattern.sub(repl, low)
    return re.sub(r"\s+", " ", low)


def _near(word: str, target: str, limit: int) -> bool:
    """Levenshtein distance of at most `limit` (typos of the words that matter most)."""
    if abs(len(word) - len(target)) > limit:
        return False
    previous = list(range(len(target) + 1))
    for i, a in enumerate(word, 1):
        current = [i]
        for j, b in enumerate(target, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def _typo_spans(low: str) -> list[tuple[int, int]]:
    """Spans of misspelled "suicide"/"suicidal" ("suicidle", "sucidal"); exact ones are patterns."""
    return [
        found.span()
        for found in re.finditer(r"\bs[a-z]{5,9}\b", low)
        if not found.group(0).startswith("suicid") and any(_near(found.group(0), t, 2) for t in _SUICIDE_WORDS)
    ]


def _negated(low: str, start: int, rule: str) -> bool:
    if rule in _SELF_NEGATED:
        return False
    clause = re.split(r",| but | and | though | although ", low[:start])[-1]
    return bool(_NEGATION.search(clause))


def screen(text: str | None) -> CrisisMatch | None:
    """A CrisisMatch when `text` speaks of suicide, self-harm, or wanting to die or hurt oneself."""
    if not text or not text.strip():
        return None
    low = _fold(text)  # clause punctuation survives as commas (negations stop there)
    figures = [m.span() for m in _FIGURES.finditer(low)]
    candidates = [(kind, rule, found.span()) for kind, rule, pattern in _COMPILED for found in pattern.finditer(low)]
    candidates += [("suicide", "suicide_typo", span) for span in _typo_spans(low)]
    for kind, rule, (start, end) in candidates:
        if any(s <= start < e or start <= s < end for s, e in figures):
            continue
        if _negated(low, start, rule):
            continue
        return CrisisMatch(kind, rule)
    return None


# --- the reply -------------------------------------------------------------------------------
_LINES = {
    "US": "call or text 988 (Suicide & Crisis Lifeline), any time",
    "CA": "call or text 988 (Suicide Crisis Helpline), any time",
    "GB": "call Samaritans free on 116 123, any time",
    "IE": "call Samaritans free on 116 123, any time",
    "AU": "call Lifeline on 13 11 14, any time",
    "NZ": "call or text 1737, any time",
}
_EMERGENCY = {"US": "911", "CA": "911", "GB": "999", "IE": "112", "AU": "000", "NZ": "111"}


def crisis_reply(country: str | None) -> str:
    """The crisis answer for a user in `country` (ISO alpha-2, or None when unknown)."""
    code = (country or "").upper()
    line = _LINES.get(code)
    if line is None:
        return (
            "I'm really sorry you're hurting, and I'm glad you told me. Please call your local emergency "
            "number now, or a crisis line near you. You're not alone."
        )
    return (
        f"I'm really sorry you're hurting. You don't have to face this alone: {line}. "
        f"In danger now? Call {_EMERGENCY[code]}."
    )


# --- where the user is -----------------------------------------------------------------------
# E.164 calling codes of the countries whose crisis lines we name; longest prefix first wins.
# +1 is shared by the US, Canada and the Caribbean: the zone decides between them (below).
_CALLING_CODES = {
    "+353": "IE",
    "+44": "GB",
    "+61": "AU",
    "+64": "NZ",
    "+1": "US",
}
_ZONE_PREFIXES = (
    ("Europe/London", "GB"),
    ("Europe/Belfast", "GB"),
    ("Europe/Dublin", "IE"),
    ("Australia/", "AU"),
    ("Pacific/Auckland", "NZ"),
    ("Pacific/Chatham", "NZ"),
    ("America/Toronto", "CA"),
    ("America/Vancouver", "CA"),
    ("America/Edmonton", "CA"),
    ("America/Winnipeg", "CA"),
    ("America/Halifax", "CA"),
    ("America/St_Johns", "CA"),
    ("America/Regina", "CA"),
    ("Canada/", "CA"),
    ("US/", "US"),
    ("America/New_York", "US"),
    ("America/Chicago", "US"),
    ("America/Denver", "US"),
    ("America/Phoenix", "US"),
    ("America/Los_Angeles", "US"),
    ("America/Anchorage", "US"),
    ("America/Detroit", "US"),
    ("America/Indiana/", "US"),
    ("America/Kentucky/", "US"),
    ("America/Boise", "US"),
    ("Pacific/Honolulu", "US"),
)


def _country_of_zone(tz_name: str | None) -> str | None:
    for prefix, country in _ZONE_PREFIXES:
        if tz_name and tz_name.startswith(prefix):
            return country
    return None


def country_for(phone: str | None, tz_name: str | None) -> str | None:
    """ISO 3166 alpha-2 code of the user's country when the phone or the zone tells, else None."""
    zone_country = _country_of_zone(tz_name)
    for code in sorted(_CALLING_CODES, key=len, reverse=True):
        if phone and phone.startswith(code):
            country = _CALLING_CODES[code]
            if code == "+1" and zone_country == "CA":
                return "CA"
            return country
    return zone_country
