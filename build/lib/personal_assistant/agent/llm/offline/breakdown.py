"""Tiny first steps for a stuck task, from a few ADHD coaching templates.

Each template starts with a first tiny physical step (under two minutes, no decisions), then a
5-minute timed start, then one small concrete chunk, then a clear stopping point, so "done" is
visible early. The template is chosen by keywords in the task; the generic one fits anything.
"""

from __future__ import annotations

import re

TEMPLATES: list[tuple[tuple[str, ...], list[str]]] = [
    (
        ("clean", "tidy", "room", "kitchen", "laundry", "dishes", "declutter", "vacuum", "closet", "garage"),
        [
            "Put on a song and grab one bag or basket",
            "Pick up just 5 things and put them away",
            "Set a 5-minute timer: clear one surface only",
            "Take out the trash or dishes you gathered",
            "Stop and look at what you cleared. That counts!",
        ],
    ),
    (
        ("write", "report", "essay", "paper", "thesis", "email", "letter", "blog", "article", "presentation", "slides"),
        [
            "Open a blank doc and type the title",
            "Write 3 messy bullet points, no full sentences",
            "Set a 5-minute timer and expand the first bullet",
            "Write one ugly sentence for each bullet",
            "Save it and note the next bullet to do",
        ],
    ),
    (
        ("birthday", "party", "wedding", "trip", "vacation", "holiday", "event", "dinner", "visit", "plan"),
        [
            "Open a note and write the date at the top",
            "List 3 must-haves (who, where, budget)",
            "Set a 5-minute timer and pick one option for where",
            "Send one message to check a date or a place",
            "Add the next decision as a task with a day",
        ],
    ),
    (
        (
            "tax",
            "taxes",
            "passport",
            "form",
            "forms",
            "bill",
            "bills",
            "paperwork",
            "insurance",
            "application",
            "renew",
            "budget",
            "invoice",
            "mail",
        ),
        [
            "Get the papers or the website open in front of you",
            "Find just the one document or login you need first",
            "Set a 5-minute timer and fill in only the easy fields",
            "Write down the one thing you are missing",
            "Put everything in one folder for next time",
        ],
    ),
    (
        ("call", "phone", "appointment", "book", "schedule", "dentist", "doctor"),
        [
            "Find the number or booking page and open it",
            "Write one line: what you need to ask",
            "Set a 2-minute timer and dial or click book",
            "Write down the date or answer you got",
        ],
    ),
    (
        ("study", "exam", "homework", "read", "learn", "course", "revise", "practice"),
        [
            "Put the book or page open on the table",
            "Read just the headings of one section",
            "Set a 5-minute timer and read one page",
            "Write one line about what you learned",
            "Mark where you stopped so restarting is easy",
        ],
    ),
]
GENERIC = [
    "Stand up and get what you need for it in front of you",
    "Write the very first action in 5 words or less",
    "Set a 5-minute timer and do only that first action",
    "When the timer ends, decide: stop or 5 more minutes",
]


def breakdown_steps(title: str) -> list[str]:
    """3-5 tiny, concrete steps for `title` (the breakdown_task schema allows up to 8)."""
    words = set(re.findall(r"[a-z]+", title.lower()))
    for keywords, steps in TEMPLATES:
        if words & set(keywords):
            return list(steps)
    return list(GENERIC)
