"""Expense intents: log one or several, totals for a day/week/month."""

from __future__ import annotations

import re
from datetime import timedelta

from personal_assistant.agent.llm.base import Action
from personal_assistant.agent.llm.offline.amounts import Money, find_amount
from personal_assistant.agent.llm.offline.intent import Intent, Reading, ex
from personal_assistant.agent.llm.offline.message import Msg, ask, call, calls
from personal_assistant.agent.llm.offline.when import find_when

LDN, SYD, KOL, BER = "Europe/London", "Australia/Sydney", "Asia/Kolkata", "Europe/Berlin"
CATEGORIES = {
    "food": ("lunch", "dinner", "breakfast", "brunch", "coffee", "cafe", "restaurant", "pizza", "burger", "takeout",
             "take-out", "takeaway", "snack", "snacks", "food", "sushi", "tacos", "drinks", "beer", "bar", "starbucks",
             "meal", "pub", "latte"),
    "groceries": ("groceries", "grocery", "supermarket", "market", "costco", "aldi", "walmart", "tesco", "lidl"),
    "transport": ("uber", "lyft", "taxi", "cab", "gas", "fuel", "petrol", "bus", "train", "metro", "subway",
                  "parking", "toll", "tolls", "ticket", "transit", "flight", "tube"),
    "housing": ("rent", "mortgage", "electricity", "electric", "water", "internet", "utilities", "wifi"),
    "subscriptions": ("netflix", "spotify", "subscription", "hulu", "disney", "prime", "icloud", "gym"),
    "health": ("doctor", "pharmacy", "meds", "medication", "medicine", "therapy", "dentist", "prescription"),
    "shopping": ("clothes", "shoes", "amazon", "shirt", "jacket", "gift", "gifts", "book", "books", "bulbs"),
    "fun": ("movie", "movies", "cinema", "concert", "game", "games", "show", "tickets"),
}  # fmt: skip
RE_SUMMARY = re.compile(
    r"\bhow much (?:did|have|do|am) (?:i|we) (?:spen[dt]|spend|pay|paid|spending)\b"
    r"|\b(?:my\s+)?(?:spending|expenses?)\s+"
    r"(?:summary|report|so far|this|today|last|for|on)\b|^(?:expense|spending) summary$"
    r"|^(?:my\s+)?(?:spending|expenses)$"
    r"|\bwhat (?:did|have) i spen[dt]\b|\bhow much have i spent\b|\btotal spen[dt]\b"
    r"|^what(?:'s| is| are) my (?:spending|expenses)\b"
    r"|^how much (?:money )?(?:have i|did i) (?:blown|spent|used)\b|^where (?:did|has) (?:my|all my) money go"
)
RE_SPENT = re.compile(
    r"\b(?:spent|spend|paid|pay|bought|cost|costs|expense|charged|dropped|blew)\b|^(?:log|add|track)\s+(?:an?\s+)?expense"
    r"|^(?:log|track|record)\b(?=\s+(?:\$|€|£)?\d)"
)
RE_SPENT_PAST = re.compile(
    r"\b(?:spent|paid|bought|cost|charged|dropped|blew)\b|^(?:log|add|track)\s+(?:an?\s+)?expense"
)
RE_NOUN_PRICE = re.compile(r"[a-z][a-z ]{1,30}\s\d{1,6}[.,]\d{2}|\d{1,6}[.,]\d{2}\s(?:for\s|on\s)?[a-z][a-z ]{1,30}")
RE_ANY = re.compile(r".+")


def category_for(text: str) -> str | None:
    words = set(re.findall(r"[a-z][a-z-]*", text.lower()))
    for category, keys in CATEGORIES.items():
        if words & set(keys) or category in words:
            return category
    return None


def expense_summary(m: Msg, _match: re.Match[str] | None) -> Action | None:
    period = "week"
    if re.search(r"\b(?:today|day|tonight)\b", m.low):
        period = "day"
    elif re.search(r"\bmonth\b", m.low):
        period = "month"
    category = None
    on = re.search(r"\b(?:on|for)\s+([a-z ]+?)(?:\s+(?:this|last|today|so far|in)\b|$)", m.low)
    if on:
        category = category_for(on.group(1)) or None
    return call("expense_summary", period=period, category=category)


def _amounts(m: Msg, *, bare: bool = False) -> list[Money]:
    """Every amount in the clause, in order ("20 on gas and 15 on lunch")."""
    found: list[Money] = []
    offset = 0
    while offset < len(m.norm):
        money = find_amount(m.norm[offset:], m.ctx.currency, allow_bare=bare)
        if money is None:
            break
        span = (money.span[0] + offset, money.span[1] + offset)
        found.append(Money(money.amount, money.currency, span, money.explicit_currency))
        offset = span[1]
    return found


def _note(m: Msg, start: int, end: int, spans: list[tuple[int, int]]) -> str | None:
    cut = [*spans, *[(a.start(), a.end()) for a in RE_SPENT.finditer(m.low) if start <= a.start() < end]]
    cut += [(a.start(), a.end()) for a in re.finditer(r"\byesterday\b", m.low)]
    note = m.own_without(start, end, cut)
    note = re.sub(r"(?i)^\s*(?:i|we|just|on|for|at|a|an|the|me|and)\b", " ", note)
    note = re.sub(r"(?i)\b(?:i|just|today|on|for|at|was|is|were|came to|total|and)\s*$", " ", note)
    note = re.sub(r"\s+", " ", note).strip(" ,.;:-!")
    note = re.sub(r"(?i)^(?:on|for|at|and)\s+", "", note).strip()
    note = re.sub(r"(?i)^(?:a|an|the|some|my)\s+(?=\S)", "", note).strip()  # "a burrito" -> "burrito"
    return note[:300] or None


def _several(m: Msg, amounts: list[Money]) -> Action | None:
    """'spent 20 on gas and 15 on lunch': one expense per amount, each with the words after it."""
    if len(amounts) < 2 or not all(
        re.match(r"\s*(?:on|for|at)\b", m.low[a.span[1] :]) for a in amounts
    ):
        return None
    pairs = []
    for i, money in enumerate(amounts):
        end = amounts[i + 1].span[0] if i + 1 < len(amounts) else len(m.norm)
        note = _note(m, money.span[1], end, [])
        pairs.append(("log_expense", {"amount": money.amount, "currency": money.currency, "note": note,
                                      "category": category_for(note or "")}))
    return calls(*pairs)


def log_expense(m: Msg, _match: re.Match[str] | None) -> Reading | Action | None:
    amounts = _amounts(m)
    money = amounts[0] if amounts else None
    spent_words = RE_SPENT.search(m.low)
    if "?" in m.text or re.match(r"^(?:what|how|when|where|which|did|do|does|is|are)\b", m.low):
        return None
    if money is None and RE_NOUN_PRICE.fullmatch(m.low):
        money = find_amount(m.norm, m.ctx.currency, allow_bare=True)  # "coffee 4.50"
        spent_words = spent_words or RE_NOUN_PRICE.fullmatch(m.low)
    if money is None:
        if not spent_words:
            return None
        money = find_amount(m.norm, m.ctx.currency, allow_bare=True)
        if money is None:
            if not RE_SPENT_PAST.search(m.low) or find_when(m.norm, m.now) is not None:
                return None  # "pay the bill friday" is a to-do, not an expense
            note = _note(m, 0, len(m.norm), [])
            return ask(
                m.voice.pick("ask-amount", ["How much was it?", "How much did it cost?"]),
                "log_expense",
                {"note": note, "category": category_for(note or "")},
                "amount",
            )
    elif not spent_words and len(re.findall(r"[A-Za-z]{2,}", m.norm)) > 6:
        return None  # a long sentence that mentions money is not obviously an expense
    several = _several(m, amounts if len(amounts) > 1 else _amounts(m, bare=spent_words is not None))
    if several is not None:
        return Reading("log_expense", several, 0.9)
    spent_at = None
    if re.search(r"\byesterday\b", m.low):
        spent_at = (m.now - timedelta(days=1)).isoformat()
    note = _note(m, 0, len(m.norm), [money.span])
    action = call(
        "log_expense",
        amount=money.amount,
        currency=money.currency,
        note=note,
        category=category_for(note or "") or ("groceries" if "grocer" in m.low else None),
        spent_at=spent_at,
    )
    confident = (spent_words is not None or money.explicit_currency
                 or bool(re.match(r"\s*(?:on|for)\b", m.low[money.span[1]:])))
    return Reading("log_expense", action, 0.95 if confident else 0.78,
                   summary=f"Log {money.amount} {money.currency}" + (f" for {note}" if note else ""))


LOG_EXPENSE = Intent(
    "log_expense",
    log_expense,
    tool="log_expense",
    priority=72,
    summary="'spent $12.50 on lunch', 'uber $23', '20 quid on petrol', 'log 9 for parking'",
    examples=(
        ex("spent $12.50 on lunch", "log_expense", amount="12.50", currency="USD", note="lunch", category="food"),
        ex("log 9 for parking", "log_expense", amount="9.00", note="parking", category="transport"),
        ex("€8 coffee", "log_expense", amount="8.00", currency="EUR", note="coffee", tz=BER),
        ex("20 quid on petrol", "log_expense", amount="20.00", currency="GBP", note="petrol", tz=LDN),
        ex("spent a fiver on lunch", "log_expense", amount="5.00", note="lunch"),
        ex("uber $23", "log_expense", amount="23.00", note="uber", category="transport"),
        ex("paid rent $1,450", "log_expense", amount="1450.00", category="housing"),
        ex("coffee 4.50", "log_expense", amount="4.50", note="coffee", category="food"),
        ex("lunch was $14", "log_expense", amount="14.00", note="lunch"),
        ex("spent 40 on groceries", "log_expense", amount="40.00", category="groceries"),
        ex("ok so i spent 12 bucks on a burrito lol", "log_expense", amount="12.00", note="burrito"),
        ex("spent 10 euros on the train", "log_expense", amount="10.00", currency="EUR", category="transport",
           tz=BER),
        ex("spent 20 on gas and 15 on lunch", "log_expense", ("log_expense", {"amount": "20.00", "note": "gas"}),
           ("log_expense", {"amount": "15.00", "note": "lunch"})),
        ex("paid the electric bill", "log_expense", expect="clarify", says="how much"),
        ex("spent $15 on netflix yesterday", "log_expense", amount="15.00", note="netflix"),
        ex("paid 500 rupees for the cab", "log_expense", amount="500.00", currency="INR", tz=KOL),
        ex("£3 bus ticket", "log_expense", amount="3.00", currency="GBP", category="transport", tz=LDN),
        ex("spent 8 eur on a coffee", "log_expense", amount="8.00", currency="EUR"),
        ex("paid 12.50 dollars for parking", "log_expense", amount="12.50", category="transport"),
        ex("a tenner on the cinema", "log_expense", amount="10.00", currency="GBP", note="cinema", tz=LDN),
        ex("dropped $60 at costco", "log_expense", amount="60.00", category="groceries"),
        ex("lunch $14", "log_expense", amount="14.00", note="lunch"),
        ex("spent 4.20 on a latte", "log_expense", amount="4.20", category="food", tz=SYD),
        ex("log $35 for the gym", "log_expense", amount="35.00", category="subscriptions"),
        ex("paid the plumber $120", "log_expense", amount="120.00"),
        ex("spent 30 quid on petrol", "log_expense", amount="30.00", currency="GBP", category="transport", tz=LDN),
        ex("$9 uber", "log_expense", amount="9.00", category="transport"),
        ex("bought shoes for $80", "log_expense", amount="80.00", category="shopping"),
        ex("spent twenty bucks on gas", "log_expense", amount="20.00", note="gas", category="transport"),
        ex("five quid for the bus", "log_expense", amount="5.00", currency="GBP", note="bus", tz=LDN),
    ),
)

EXPENSE_SUMMARY = Intent(
    "expense_summary",
    expense_summary,
    patterns=(RE_SUMMARY,),
    tool="expense_summary",
    priority=84,
    summary="'how much did I spend this week?', 'spending this month'",
    examples=(
        ex("how much did I spend this week?", "expense_summary", period="week"),
        ex("how much did i spend today", "expense_summary", period="day"),
        ex("spending this month", "expense_summary", period="month"),
        ex("how much have I spent on food this month?", "expense_summary", period="month", category="food"),
        ex("where did all my money go this week", "expense_summary", period="week"),
        ex("spending summary", "expense_summary", period="week"),
        ex("my expenses", "expense_summary"),
        ex("how much have I spent this month", "expense_summary", period="month"),
        ex("total spent today", "expense_summary", period="day"),
        ex("what did i spend on transport this week", "expense_summary", period="week", category="transport"),
        ex("how much did we spend on groceries this month", "expense_summary", period="month",
           category="groceries", tz=LDN),
        ex("expenses so far", "expense_summary"),
        ex("what's my spending this week", "expense_summary", period="week"),
        ex("how much have i blown this month lol", "expense_summary", period="month"),
    ),
)

INTENTS = (LOG_EXPENSE, EXPENSE_SUMMARY)
