"""Offline recall help: stems and everyday synonyms, so a question in other words still finds the
fact without an embedding provider ("where did I leave the car" -> "parked on level 3").

One table shared by search (memory/service.py) and the offline brain's memory intents (they hand
the cleaned question to the recall tool, which searches through here). A query becomes *concept
groups*: one per content word, holding the word's stem and the stems of its synonyms. Full-text
search looks for any of them; a candidate's coverage is the share of groups it matches (the
word itself counts 1, a synonym SYNONYM_WEIGHT), so a memory matching every idea of the question
beats one matching a single common word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from personal_assistant.planning.common import words

SYNONYM_WEIGHT = 0.75
MAX_FTS_TERMS = 48

# Words that say nothing about *which* memory is meant ("what was that thing again").
QUESTION_WORDS = frozenset(
    [
        "again", "also", "anything", "ever", "exactly", "know", "remember", "recall", "said", "say", "saying",
        "says", "tell", "told", "wrote", "thing", "things", "stuff", "one", "ones", "it's", "thats", "that's",
        "whats", "wheres", "where's", "whos", "who's", "hows", "mine", "kind", "sort", "like", "uh", "um", "hey",
        "hi", "ok", "okay", "pls", "plz", "need", "want", "wanted", "think", "thought", "put", "forgot", "forget",
        "remind", "reminding", "keep", "kept", "make", "sure", "yeah", "yes", "no", "not", "dont", "don't", "cant",
        "can't", "im", "i'm", "ive", "i've", "id", "i'd", "youre", "you're", "take", "takes", "taking", "took",
        "go", "goes", "going", "went", "get", "gets", "getting", "use", "used", "using", "have", "has", "having",
        "need", "needs", "often", "much", "many", "usually", "ever", "still", "currently"
    ]
)
# Words that do name something but too many memories share them: they count GENERIC_WEIGHT.
GENERIC = frozenset(
    [
        "call", "called", "name", "named", "number", "time", "day", "last", "work", "place", "thing", "best",
        "like", "out", "person"
    ]
)
GENERIC_WEIGHT = 0.4

# Groups of words that mean the same kind of thing in what people ask a memory. A word may sit
# in several groups; every word of a group expands to all the others.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("car", "vehicle", "parked", "park", "parking", "garage", "drive", "drove", "motor"),
    ("leave", "left", "put", "parked", "park", "stored", "keep", "kept", "placed"),
    ("level", "floor", "deck", "storey", "story"),
    ("number", "code", "pin", "combo", "combination", "passcode", "digits", "num", "id", "reference", "ref"),
    ("password", "passcode", "pass", "login", "passphrase", "pin", "code", "key"),
    ("wifi", "wi", "internet", "network", "router", "broadband"),
    ("storage", "unit", "locker", "lockup", "container"),
    ("locker", "gym", "storage"),
    ("doctor", "gp", "physician", "doc", "dr", "clinic", "surgery"),
    ("dentist", "dental", "teeth", "tooth", "orthodontist"),
    ("therapist", "counsellor", "counselor", "psychologist", "shrink", "therapy"),
    ("birthday", "bday", "born", "birth", "birthdate"),
    ("anniversary", "wedding", "married", "marriage", "invited", "invite"),
    ("address", "live", "lives", "living", "home", "house", "flat", "apartment", "place", "street"),
    ("phone", "mobile", "cell", "number", "call", "ring", "contact", "reach", "text"),
    ("allergy", "allergic", "allergies", "intolerant", "intolerance", "react", "reaction"),
    ("medicine", "medication", "meds", "pill", "pills", "tablet", "tablets", "prescription", "dose", "dosage", "mg",
     "drops", "treatment"),
    ("vet", "sick", "ill", "poorly", "unwell"),
    ("milk", "dairy", "lactose", "cheese", "cream", "yoghurt", "yogurt"),
    ("reminder", "reminders", "nudge", "nudges", "ping", "prompt", "alert", "alerts", "notification"),
    ("bill", "bills", "invoice", "invoices", "payment", "payments", "tax"),
    ("productive", "productivity", "focus", "focused", "energy", "owl"),
    ("open", "opens", "opening", "hours", "close", "closes", "closing"),
    ("ticket", "pass", "season", "fare", "railcard"),
    ("renew", "renewal", "expire", "expires", "expiry", "due"),
    ("spare", "extra", "backup", "another", "second"),
    ("meter", "gauge", "reading", "readings", "usage"),
    ("spicy", "chilli", "chili", "hot", "heat", "pepper"),
    ("headache", "headaches", "migraine", "migraines"),
    ("ni", "national", "insurance", "nino"),
    ("monday", "mondays", "start", "week"),
    ("wednesday", "wednesdays", "midweek"),
    ("coat", "jacket", "hoodie", "jumper"),
    ("end", "ends", "finish", "finishes", "over", "until"),
    ("power", "electricity", "electric", "gas", "utility", "utilities", "energy"),
    ("key", "keys", "spare"),
    ("mom", "mum", "mother", "mam"),
    ("dad", "father", "pa", "papa"),
    ("sister", "sis", "sibling"),
    ("brother", "bro", "sibling"),
    ("partner", "wife", "husband", "boyfriend", "girlfriend", "spouse"),
    ("kid", "kids", "child", "children", "son", "daughter", "niece", "nephew"),
    ("friend", "mate", "buddy", "pal"),
    ("boss", "manager", "supervisor", "lead"),
    ("work", "job", "office", "employer", "workplace", "employee", "staff", "colleague", "colleagues", "coworker"),
    ("landlord", "landlady", "rent", "letting", "agent", "property", "lease", "tenancy", "tenant"),
    ("plumber", "plumbing", "pipes", "leak"),
    ("mechanic", "garage", "service", "repair"),
    ("vet", "veterinarian", "veterinary"),
    ("dog", "puppy", "pup", "pet"),
    ("cat", "kitten", "pet"),
    ("coffee", "latte", "cappuccino", "espresso"),
    ("tea", "brew", "cuppa"),
    ("food", "eat", "eats", "meal", "dinner", "lunch", "dish", "cuisine"),
    ("favorite", "favourite", "fave", "fav", "like", "love", "prefer", "best"),
    ("hate", "dislike", "cant", "stand", "avoid"),
    ("vegetarian", "veggie", "vegan", "meat", "plant"),
    ("size", "fit", "measure", "measurements"),
    ("shoe", "shoes", "feet", "foot", "trainer", "trainers", "boots"),
    ("shirt", "top", "clothes", "clothing", "dress", "jeans", "trousers", "pants"),
    ("plate", "registration", "reg", "license", "licence", "numberplate"),
    ("passport", "travel", "document", "id", "identity"),
    ("bank", "account", "sort", "iban", "routing", "card", "credit", "debit"),
    ("insurance", "policy", "cover", "insurer"),
    ("bike", "bicycle", "cycle", "commute"),
    ("lock", "padlock", "combo", "combination"),
    ("gate", "door", "entry", "entrance", "buzzer", "intercom"),
    ("alarm", "security", "burglar"),
    ("bin", "bins", "rubbish", "trash", "garbage", "recycling", "collection"),
    ("school", "teacher", "class", "classes", "pickup"),
    ("train", "commute", "station", "platform", "rail"),
    ("bus", "route", "stop", "commute"),
    ("flight", "plane", "airline", "airport", "fly", "flying"),
    ("hotel", "booking", "reservation", "room", "stay"),
    ("restaurant", "cafe", "place", "dinner", "eat"),
    ("pharmacy", "chemist", "drugstore", "prescription"),
    ("hospital", "clinic", "appointment"),
    ("blood", "type", "group"),
    ("morning", "mornings", "early"),
    ("evening", "evenings", "night", "late"),
    ("sleep", "bed", "bedtime", "asleep", "nap"),
    ("music", "song", "songs", "band", "artist", "playlist", "listen"),
    ("movie", "film", "show", "series", "watch", "tv"),
    ("book", "novel", "read", "reading", "author"),
    ("gift", "present", "gifts", "presents"),
    ("money", "owe", "owed", "lent", "borrowed", "debt", "cash", "paid"),
    ("color", "colour", "shade"),
    ("email", "mail", "inbox", "address"),
    ("username", "user", "handle", "login", "account"),
    ("neighbor", "neighbour", "next", "door"),
    ("hairdresser", "barber", "haircut", "hair", "salon"),
    ("gym", "workout", "exercise", "training", "fitness"),
    ("charger", "cable", "plug", "adapter", "phone"),
    ("glasses", "specs", "spectacles", "contacts", "lenses", "optician", "eye", "eyes"),
    ("umbrella", "brolly"),
    ("wallet", "purse"),
    ("laptop", "computer", "pc", "macbook"),
    ("tv", "television", "telly"),
    ("fridge", "refrigerator", "freezer", "kitchen"),
    ("drawer", "cupboard", "cabinet", "shelf", "closet", "wardrobe"),
    ("nickname", "name", "called", "call"),
    ("name", "called", "named"),
    ("meet", "meeting", "met"),
    ("trip", "holiday", "vacation", "travel", "getaway"),
    ("where", "location", "place", "spot"),
)

_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word.lower()))


def _table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for group in SYNONYMS:
        stems = {stem(w) for w in group}
        for w in group:
            table.setdefault(stem(w), set()).update(stems)
    return {key: frozenset(value) for key, value in table.items()}


_BY_STEM = _table()
# Surface words to hand to full-text search for each stem (FTS stems them its own way).
_SURFACE: dict[str, set[str]] = {}
for _group in SYNONYMS:
    for _w in _group:
        _SURFACE.setdefault(stem(_w), set()).add(_w)


@dataclass(frozen=True)
class Concept:
    """One idea of the question: the word's own stem and its synonyms' stems."""

    word: str
    own: str
    alternatives: frozenset[str]


def content_words(text: str) -> list[str]:
    """The words of a question that can name a memory, in order, once each."""
    seen: list[str] = []
    for word in words(re.sub(r"'s\b", "", (text or "").lower())):
        if word in QUESTION_WORDS or word in seen:
            continue
        seen.append(word)
    return seen


def concepts(text: str) -> list[Concept]:
    out = []
    for word in content_words(text)[:12]:
        own = stem(word)
        out.append(Concept(word, own, _BY_STEM.get(own, frozenset()) - {own}))
    return out


def fts_terms(groups: list[Concept]) -> list[str]:
    """Plain alphanumeric words for the full-text index: every word and its synonyms (the words
    of the question first, so a long expansion is cut from the synonyms)."""
    terms: list[str] = [g.word for g in groups]
    for g in groups:
        for alt in sorted(g.alternatives):
            for surface in sorted(_SURFACE.get(alt, {alt})):
                if surface not in terms:
                    terms.append(surface)
    return [t for t in terms if re.fullmatch(r"[^\W_]+", t)][:MAX_FTS_TERMS]


def _matches(stem_: str, tokens: frozenset[str]) -> bool:
    if stem_ in tokens:
        return True
    # Prefix match for longer stems ("birth" ~ "birthdate"), as the full-text query does.
    return len(stem_) >= 5 and any(t.startswith(stem_) for t in tokens)


def memory_stems(content: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words(re.sub(r"'s\b", "", content.lower()), drop_stopwords=False))


def coverage(groups: list[Concept], content: str) -> float:
    """0..1: the share of the question's ideas this memory mentions (its own words count more
    than synonyms)."""
    if not groups:
        return 0.0
    tokens = memory_stems(content)
    total = possible = 0.0
    specific = any(g.word not in GENERIC for g in groups)
    named_specific = False
    for g in groups:
        generic = g.word in GENERIC
        weight = GENERIC_WEIGHT if generic else 1.0
        possible += weight
        if _matches(g.own, tokens):
            total += weight
        elif any(_matches(alt, tokens) for alt in g.alternatives):
            total += weight * SYNONYM_WEIGHT
        else:
            continue
        named_specific = named_specific or not generic
    # Sharing only a common word ("number") with a question about something else is no match.
    if specific and not named_specific:
        return 0.0
    return total / possible
