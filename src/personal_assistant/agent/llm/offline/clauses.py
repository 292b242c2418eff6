"""Clause splitting: "log 9 for parking and add light bulbs to groceries" is two requests.

Candidate boundaries are sentence ends (. ! ? ; and line breaks), commas, and the joiners "and",
"also", "then", "plus". A boundary is taken only when what follows starts a request of its own
(a command word: remind, add, log, cancel, what's, ...), or, after a sentence end, when it reads
as anything at all. So "add milk, eggs and bread to groceries" stays one clause, and so do
"remind me to call mom and buy milk at 5" (one reminder) and "quiet hours 10 to 7".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from personal_assistant.agent.llm.offline.normalize import normalize

# A clause of its own starts with one of these (after filler), in the matching form.
STARTERS = re.compile(
    r"^(?:remind|rmd|set (?:a |an |me a )?(?:reminder|alarm)|add|put|log|track|spent|paid|cancel|delete|remove|"
    r"snooze|remember|note to self|focus|set my|change my|switch (?:to|my)|what|what's|whats|which|show|list|"
    r"how much|how many|todo|to-do|task|new task|new goal|break down|breakdown|don'?t forget|ping me|text me|"
    r"nudge me|done|mark|check off|groceries|shopping list|quiet hours|timezone|time zone|undo|thanks|"
    r"thank you|i spent|i paid|we need|we're out of|we are out of|i'm out of|"
    r"i'm (?:so |really |feeling )?(?:tired|exhausted|overwhelmed|stressed|anxious|sad)|i feel|feeling)\b"
)
_ABBREVIATIONS = re.compile(r"^(?:dr|mr|mrs|ms|st|vs|e\.g|i\.e|etc|approx|no|jr|sr|mt|ave|[a-z])\.$", re.I)
_HARD = re.compile(r"[.!?;]+$")
# Question tails that finish the clause before them ("that number for the unit, what was it").
_TAIL = re.compile(r"^(?:what|when|where|who)(?:'s| is| was| were)? (?:it|that|they|again)\b")
_JOINERS = {"and", "also", "then", "plus", "&", "+", "n"}
_BREAK = "\u23ce"  # stands for a line break while splitting (not whitespace, unlike \x1e)


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def _only_a_time(text: str) -> bool:
    from datetime import datetime

    from personal_assistant.agent.llm.offline.when import find_when, strip_spans

    low = normalize(text).low.strip(" ,;")
    when = find_when(low, datetime(2026, 1, 1, 12, 0).astimezone())
    return when is not None and not re.search(r"[a-z]{2,}", strip_spans(low, when.spans))


def split_clauses(text: str, reads: Callable[[str], bool] | None = None) -> list[str]:
    """The clauses of `text`, in order, as substrings of it (whitespace trimmed)."""
    marked = re.sub(r"\s*[\r\n]+\s*", f" {_BREAK} ", text or "").strip()
    words = _words(marked)
    if len(words) <= 2:
        return [text.strip()] if text and text.strip() else []
    # (index of the first word of the next clause, hard boundary?)
    candidates: list[tuple[int, bool]] = []
    for i, (word, _, _) in enumerate(words):
        if word == _BREAK:
            candidates.append((i + 1, True))
            continue
        bare = word.lower().strip(",;")
        if i > 0 and bare in _JOINERS:
            candidates.append((i, False))
        if _ABBREVIATIONS.match(word):
            continue
        if i + 1 < len(words) and (_HARD.search(word) or word.endswith(",")):
            if re.search(r"\d[.,]$", word) and re.match(r"\d", words[i + 1][0]):
                continue  # "12.50" typed with a space, "1, 2, 3"
            candidates.append((i + 1, bool(_HARD.search(word))))
    cuts: list[int] = [0]
    for index, hard in candidates:
        if index <= cuts[-1] or index >= len(words):
            continue
        rest = " ".join(w for w, _, _ in words[index:] if w != _BREAK)
        head = normalize(rest).low
        starts = bool(STARTERS.match(head)) and not _TAIL.match(head)
        if not starts and hard and reads is not None:
            nxt = [c for c, _ in candidates if c > index]
            segment = " ".join(w for w, _, _ in words[index : nxt[0] if nxt else len(words)] if w != _BREAK)
            starts = reads(segment)
        if starts and not hard and _only_a_time(" ".join(w for w, _, _ in words[cuts[-1]:index] if w != _BREAK)):
            starts = False  # "in an hour, remind me to ...": the time belongs to the request
        if starts:
            cuts.append(index)
    clauses = []
    for start, end in zip(cuts, [*cuts[1:], len(words)], strict=True):
        piece = " ".join(w for w, _, _ in words[start:end] if w != _BREAK).strip()
        piece = re.sub(r"^(?:and|also|then|plus|&|\+)\s+", "", piece, flags=re.I).strip(" ,;")
        if piece:
            clauses.append(piece)
    return clauses or [text.strip()]
