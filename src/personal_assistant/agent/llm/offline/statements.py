"""Statements are not requests: "the concert ran late tonight", "the pool is shut on sundays".

A clause is a statement when it has a subject and a finite verb near its start and no word of
request ("I need to", "remind me", "can you"). A time inside a statement creates nothing; a plain
personal fact ("my dentist is Dr. Okafor") is remembered by the memory intents.
"""

from __future__ import annotations

import re

_SUBJECT = (
    r"(?:i|we|you|he|she|they|it|there|this|that|these|those|everyone|everything|nobody|someone|work|school|"
    r"traffic|today|tonight|yesterday|the \w+(?:'s)?(?: \w+)?|my \w+(?:'s)?(?: \w+)?|our \w+(?:'s)?(?: \w+)?|"
    r"his \w+|her \w+|their \w+|[a-z]+'s \w+|mom|dad|mum|[a-z]+ and i)"
)
_VERB = (
    r"(?:is|was|are|were|am|'s|'re|'m|has|have|had|'ve|did|does|do|ran|went|got|gets|came|comes|said|says|told|"
    r"called|looks|looked|seems|seemed|feels|felt|closes|closed|opens|opened|starts|started|ends|ended|"
    r"finished|finishes|arrives|arrived|leaves|left|takes|took|made|makes|works|worked|lives|lived|loves|"
    r"loved|likes|liked|hates|hated|knows|knew|thinks|thought|wants|wanted|needs|needed|goes|moved|moves|"
    r"happened|happens|broke|breaks|stopped|stops|won|lost|spent|paid|bought|ate|drank|slept|woke|texted|"
    r"emailed|visited|met|saw|heard|gave|gives|can't|cannot|couldn't|won't|wouldn't|isn't|wasn't|aren't|"
    r"weren't|didn't|doesn't|don't|keeps|kept|will|'ll|would|'d|should|could|might|must|may|been|just|"
    r"usually|always|never|often|really|finally|also|still|already)"
)
RE_STATEMENT = re.compile(
    rf"^{_SUBJECT}(?:'s|'re|'m)?\s+(?:\w+\s+)?{_VERB}\b"
    r"|^(?:i|we|you|he|she|they|it|there|this|that)(?:'s|'re|'m)\b"
    r"|^(?:i|we)\s+(?:usually\s+|always\s+|normally\s+|often\s+)?(?!need|have to|gotta|got to|must|should|want|"
    r"wanna|would like|'d like|can't|cannot|keep|forgot)[a-z']+\b"
)
RE_REQUEST = re.compile(
    r"\b(?:remind me|rmd me|can you|could you|would you|will you|please|i need to|need to|i have to|i've got to|"
    r"i got to|i must|i should|i want to|i'd like to|let me|help me|don't let me forget|make sure|ping me|"
    r"text me|nudge me|add|log|cancel|delete|remove|set|schedule|book|put)\b"
)
RE_PAST = re.compile(
    r"\b(?:was|were|ran|went|got|came|said|told|called|looked|seemed|felt|closed|opened|started|ended|finished|"
    r"arrived|left|took|made|worked|happened|broke|stopped|won|lost|spent|paid|bought|ate|drank|slept|woke|"
    r"visited|met|saw|heard|gave|had|did|moved|changed|cancelled|canceled|rescheduled|yesterday|last night|"
    r"earlier|ago)\b"
)


def is_statement(low: str) -> bool:
    """True when `low` (normalized, lower case) states something rather than asks for something."""
    if not low or "?" in low:
        return False
    if RE_REQUEST.search(low):
        return False
    return bool(RE_STATEMENT.match(low))


def is_past(low: str) -> bool:
    return bool(RE_PAST.search(low))
