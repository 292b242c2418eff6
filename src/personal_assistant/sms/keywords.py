"""Carrier keywords (CTIA / Twilio defaults). Case and surrounding spaces do not matter; a keyword
must be the whole message ("stop" opts out, "stop reminding me about laundry" is a normal text).

Replies (documented decision):
- STOP and its synonyms: we send nothing. Twilio's opt-out handling answers the carrier-mandated
  confirmation itself, and after an opt-out every outbound text of ours is suppressed anyway.
  `opt_out_text()` is the wording that confirmation should have (set it as the Messaging
  Service's Advanced Opt-Out confirmation, and send it where no carrier answers, e.g. the console
  transport): bare CANCEL is an opt-out word, so it says how to come back (START) and how to stop
  a single reminder instead ("cancel dentist"). Reminder texts never invite a bare "cancel".
- START/YES/UNSTOP: only from a phone that is opted out (otherwise "yes" is an answer for the
  agent): the phone is opted back in and gets a short confirmation.
- HELP/INFO: a short help text, unless the phone is opted out (then nothing, as for every text).
"""

from __future__ import annotations

import re

OPT_OUT = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
OPT_IN = frozenset({"START", "YES", "UNSTOP"})
HELP = frozenset({"HELP", "INFO"})

_TRAILING_PUNCTUATION = re.compile(r"[\s.!]+$")


def classify(body: str | None) -> str | None:
    """'opt_out' | 'opt_in' | 'help' when the whole message is a carrier keyword, else None."""
    if not body:
        return None
    word = _TRAILING_PUNCTUATION.sub("", body.strip()).upper()
    if word in OPT_OUT:
        return "opt_out"
    if word in OPT_IN:
        return "opt_in"
    if word in HELP:
        return "help"
    return None


def help_text(app_name: str, signup_url: str) -> str:
    return (
        f"{app_name}: text me what you need, like 'remind me at 9pm to take meds'. "
        f"Account: {signup_url} Reply STOP to opt out. Msg&data rates may apply."
    )


def opt_out_text(app_name: str) -> str:
    """The opt-out confirmation: how to come back, and how to cancel one reminder next time."""
    return (
        f"{app_name}: you're opted out, no more texts. Reply START to come back. To stop just one "
        "reminder, text 'cancel' and its name, like 'cancel dentist'."
    )


def opt_in_text(app_name: str) -> str:
    return f"{app_name}: you're opted back in. Text me anything to get going. Reply HELP for help."


def onboarding_text(app_name: str, signup_url: str) -> str:
    return f"Hi! This is {app_name}. I don't know this number yet. Sign up at {signup_url} to start."
