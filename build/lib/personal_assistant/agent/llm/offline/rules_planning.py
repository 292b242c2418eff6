"""Task, breakdown, goal, grocery and expense intents."""

from __future__ import annotations

import re
from datetime import timedelta

from personal_assistant.agent.llm.base import Action
from personal_assistant.agent.llm.offline.amounts import find_amount
from personal_assistant.agent.llm.offline.breakdown import breakdown_steps
from personal_assistant.agent.llm.offline.lists import grocery_entries, split_items
from personal_assistant.agent.llm.offline.message import Msg, ask, call
from personal_assistant.agent.llm.offline.when import find_when, strip_spans

# --- tasks -----------------------------------------------------------------------------------
RE_ADD_TASK = re.compile(
    r"^(?:add (?:a |new )?(?:task|to-?do|todo)|new (?:task|to-?do|todo)|create (?:a )?task|task|to-?do|to do|"
    r"add to (?:my )?(?:list|to-?do list|todo list|tasks))\b\s*[:\-]?\s*(.+)$"
)
RE_ADD_TO_LIST = re.compile(r"^(?:add|put)\s+(.+?)\s+(?:to|on)\s+(?:my\s+|the\s+)?(?:to-?do|todo|task|tasks)?\s*list$")
RE_NEED_TO = re.compile(r"^(?:i\s+)?(?:need to|have to|gotta|got to|must|should|i should|ought to)\s+(.+)$")
RE_LIST_TASKS = re.compile(
    r"^(?:(?:show|list|see|view|read|check|give me|send)\s+(?:me\s+)?)?(?:my\s+|the\s+|all\s+(?:my\s+)?)?"
    r"(?:open\s+|done\s+|finished\s+|completed\s+)?(?:to-?do|todo|task|tasks|to-?dos|todos|list|to do list|tasks list)"
    r"(?:\s+list)?(?:\s+(?:today|for today|please))?"
    r"|what(?:'s| is|s)? (?:on|in) (?:my|the) (?:to-?do |todo |task )?list.*"
    r"|what(?:'s| is|s)? my (?:to-?do |todo |task )?list(?: today| for today)?"
    r"|what (?:do i (?:have|need|got) to do|should i do|should i work on|'s next|is next)(?: today| now| next)?"
    r"|whats next|what's next|what now|what's left|whats left|what is left"
)
RE_DONE_TASK = re.compile(
    r"^(?:i\s+|i've\s+|ive\s+|just\s+|i just\s+)?(?:done|did|finished|completed|complete|check off|checked off|"
    r"cross off|crossed off|tick off|ticked off|mark|marked|x|\u2705)\s*[:\-]?\s+"
    r"(?:with\s+)?(?:task\s+|number\s+|no\.?\s*|#)?"
    r"(?P<ref>.+?)(?:\s+(?:as\s+)?(?:done|complete|completed|finished))?$"
    r"|^(?:task\s+|#)?(?P<ref2>\d{1,2})\s+(?:is\s+)?(?:done|finished|complete|completed)$"
    r"|^(?:i'm |im |i am )done with\s+(?P<ref3>.+)$"
)


RE_ESTIMATE = re.compile(
    r"\(?(?:~\s*|\b(?:about|around|takes?|est\.?|estimate:?)\s+)?\b(\d{1,3})\s*(min|mins|minutes|m|h|hr|hrs|hours?)\b\)?",
    re.I,
)


def _estimate(text: str) -> tuple[int | None, str]:
    """'(about 20 min)', '~30m', 'takes 1h' or a duration ending the title: minutes it should take."""
    for m in RE_ESTIMATE.finditer(text):
        before = text[max(0, m.start() - 10) : m.start()].lower()
        marked = m.group(0).startswith(("(", "~")) or re.match(r"(?i)about|around|takes?|est", m.group(0))
        trailing = not text[m.end() :].strip(" .)")
        if re.search(r"\b(?:in|for|within|after|every)\s*$", before) or not (marked or trailing):
            continue  # "in 30 min" is a due time, "for 30 min" a focus block
        value = int(m.group(1)) * (60 if m.group(2).lower().startswith("h") else 1)
        if 1 <= value <= 24 * 60:
            return value, (text[: m.start()] + " " + text[m.end() :]).strip()
    return None, text


def _priority(text: str) -> tuple[int | None, str]:
    high = r"\b(?:high priority|top priority|urgent|important|asap)\b|!!+"
    low = r"\b(?:low priority|someday|whenever|no rush)\b"
    if re.search(high, text, re.I):
        return 1, re.sub(high, " ", text, flags=re.I)
    if re.search(low, text, re.I):
        return 3, re.sub(low, " ", text, flags=re.I)
    return None, text


RE_GOAL_REF = re.compile(
    r"\s+(?:for|under|towards?|toward)\s+(?:my\s+|the\s+)?goal\s*:?\s*(.+)$|\s+for (?:my|the) (.+?) goal$", re.I
)


def task_args(m: Msg, raw: str) -> dict[str, object]:
    """Title, due date (date-only when no time was given), estimate, priority and goal of a task."""
    goal = None
    goal_match = RE_GOAL_REF.search(raw)
    if goal_match:
        goal = (goal_match.group(1) or goal_match.group(2)).strip()
        raw = raw[: goal_match.start()]
    estimate, raw = _estimate(raw)
    priority, raw = _priority(raw)
    due = None
    when = find_when(raw, m.now, default_hour=17)
    if when is not None and not when.rrule:
        due = when.iso if when.has_time else when.date_iso
        raw = strip_spans(raw, when.spans)
    title = re.sub(r"\s+", " ", raw).strip(" ,.;:-")
    title = re.sub(r"(?i)\s+(?:by|due|before|on|at)$", "", title).strip()
    return {"title": title[:200], "due_at": due, "estimate_minutes": estimate, "priority": priority, "goal_ref": goal}


def add_task(m: Msg) -> Action | None:
    match = RE_ADD_TASK.match(m.low) or RE_ADD_TO_LIST.match(m.low)
    raw = m.norm[match.start(1) : match.end(1)] if match else ""
    if not match:
        need = RE_NEED_TO.match(m.low)
        if not need or "?" in m.text:
            return None
        raw = m.norm[need.start(1) : need.end(1)]
    args = task_args(m, raw)
    if not args["title"]:
        return ask("What's the task?", "add_task", {k: v for k, v in args.items() if k != "title"}, "title")
    return call("add_task", **args)


def list_tasks(m: Msg) -> Action | None:
    if not RE_LIST_TASKS.fullmatch(m.low):
        return None
    if re.search(r"\b(?:done|finished|completed)\b", m.low):
        return call("list_tasks", status="done")
    if re.search(r"\ball\b", m.low):
        return call("list_tasks", status="all")
    return call("list_tasks")


def complete_task(m: Msg) -> Action | None:
    match = RE_DONE_TASK.match(m.low)
    if not match:
        return None
    group = next(g for g in ("ref", "ref2", "ref3") if match.group(g))
    ref = m.norm[match.start(group) : match.end(group)].strip(" #.")
    ref = re.sub(r"(?i)^(?:the|my|that|this)\s+(?=\S)", "", ref)
    ref = re.sub(r"(?i)\s+task$", "", ref).strip()
    if not ref or re.fullmatch(r"(?i)focus(?:ing)?|it|that|this|all|everything", ref):
        return None
    last = m.ctx.last_list or {}
    if ref.isdigit() and last.get("kind") == "reminders":
        ids = last.get("ids") or []
        if 1 <= int(ref) <= len(ids):
            return call("acknowledge_reminder", reminder_id=str(ids[int(ref) - 1]))
    return call("complete_task", ref=ref[:200])


# --- breakdown -------------------------------------------------------------------------------
RE_BREAKDOWN = re.compile(
    r"^(?:please\s+)?(?:break\s+down|breakdown|break\s+up|split\s+up|split|chunk)\s*:?\s*(?:the\s+task\s+)?(.+?)"
    r"(?:\s+into\s+(?:small|tiny|smaller)?\s*steps)?$"
    r"|^break\s+(.+?)\s+(?:down|up|into steps)$"
    r"|\b(?:can'?t|cannot|can not|could not|couldn'?t|don'?t know how to|unable to)\s+(?:seem to\s+)?"
    r"(?:get\s+)?(?:start(?:ed)?|begin|focus)\s+(?:on\s+|with\s+)?(.+)$"
    r"|\b(?:i'?m|i am|im|feeling|feel|so|really)\s+(?:so\s+|really\s+|totally\s+)?"
    r"(?:stuck|overwhelmed|paralyzed|frozen)\s+(?:on|with|by|about)\s+(.+)$"
    r"|\b(?:help me|how do i|how can i|where do i)\s+(?:even\s+)?(?:start|begin|get started)\s*(?:on|with)?"
    r"\s+(.+)$"
    r"|\b(?:i keep|i've been|ive been|been|i'm|im)\s+(?:putting off|avoiding|procrastinating on|procrastinating)"
    r"\s+(.+)$"
    r"|\bdon'?t know where to (?:start|begin)\s+(?:with|on)\s+(.+)$"
)


def breakdown(m: Msg) -> Action | None:
    match = RE_BREAKDOWN.search(m.low)
    if not match:
        return None
    group = next(i for i in range(1, 8) if match.group(i))
    title = m.norm[match.start(group) : match.end(group)]
    title = re.sub(r"(?i)^(?:on|with|the task|doing|to)\s+", "", title)
    title = re.sub(r"(?i)\s+(?:at all|today|right now|now|anymore|again)$", "", title).strip(" ,.;:-!?")
    if not title or len(title) > 200:
        return None
    if re.fullmatch(r"(?i)it|this|that|things|stuff|everything|something|a task", title):
        return ask("Sure! Which task should we break down?", "break_down_task", {}, "title")
    return call("break_down_task", title=title, steps=breakdown_steps(title))


# --- goals -----------------------------------------------------------------------------------
RE_ADD_GOAL = re.compile(
    r"^(?:new goal|add (?:a |new )?goal|set (?:a |new )?goal|create (?:a )?goal|goal|my (?:new )?goal is|"
    r"my goal:)\s*(?:is\s+)?(?:to\s+|of\s+)?[:\-]?\s*(.+)$"
)
RE_LIST_GOALS = re.compile(
    r"^(?:(?:show|list|see|view|what are|what're|whats|what's)\s+(?:me\s+)?)?(?:my\s+|all\s+|the\s+)?goals(?:\s+list)?$"
    r"|^how are my goals.*$"
)


def add_goal(m: Msg) -> Action | None:
    match = RE_ADD_GOAL.match(m.low)
    if not match:
        return None
    raw = m.norm[match.start(1) : match.end(1)].lstrip(":- ")
    why = None
    why_match = re.search(r"(?i)\s+(?:because|since|so that|so i can|so)\s+(.+)$", raw)
    if why_match:
        why = why_match.group(1).strip()
        raw = raw[: why_match.start()]
    target = None
    when = find_when(raw, m.now)
    if when is not None and not when.rrule and when.has_date:
        target = when.date_iso
        raw = strip_spans(raw, when.spans)
    title = re.sub(r"(?i)\s+(?:by|before|until|in)$", "", raw.strip(" ,.;:-")).strip()
    if not title:
        return ask("What's the goal?", "add_goal", {"target_date": target, "why": why}, "title")
    return call("add_goal", title=title[:200], why=why, target_date=target)


def list_goals(m: Msg) -> Action | None:
    return call("list_goals") if RE_LIST_GOALS.match(m.low) else None


# --- groceries -------------------------------------------------------------------------------
_GROC = r"(?:grocery|groceries|shopping|store|supermarket)"
RE_ADD_GROCERIES = re.compile(
    rf"^(?:please\s+)?(?:add|put|stick|throw)\s+(.+?)\s+(?:to|on|onto|in)\s+(?:the\s+|my\s+|our\s+)?{_GROC}(?:\s+list)?$"
    rf"|^{_GROC}(?:\s+list)?\s*(?::|-|\+|add)\s*(.+)$"
    r"|^(?:we(?:'re| are)?|i'?m|i am|im)\s+(?:out of|low on|running low on|almost out of)\s+(.+)$"
    r"|^(?:we\s+)?ran out of\s+(.+)$"
    r"|^(?:need|we need|i need) to buy\s+(.+)$"
    rf"|^(?:buy|get|pick up)\s+(.+?)\s+(?:from|at)\s+the\s+{_GROC}$"
)
RE_LIST_GROCERIES = re.compile(
    rf"^(?:(?:show|list|see|view|send|read|check)\s+(?:me\s+)?)?(?:my\s+|the\s+|our\s+)?{_GROC}(?:\s+list)?$"
    rf"|^what(?:'s| is|s)? on (?:my|the|our) {_GROC}(?: list)?.*$"
    rf"|^what do (?:i|we) need (?:from|at) the {_GROC}.*$|^what do (?:i|we) need to buy.*$"
)
RE_CHECK_GROCERIES = re.compile(
    r"^(?:i\s+|we\s+|just\s+)?(?:got|bought|picked up|grabbed|found)\s+(?:the\s+)?(.+)$"
    rf"|^(?:check|cross|tick|mark)\s+(?:off\s+)?(.+?)(?:\s+off)?(?:\s+(?:the|my)\s+{_GROC}(?:\s+list)?)?$"
    rf"|^(?:remove|delete|take)\s+(.+?)\s+(?:from|off)\s+(?:the\s+|my\s+)?{_GROC}(?:\s+list)?$"
)
RE_CLEAR_GROCERIES = re.compile(
    rf"^(?:clear|empty|reset|wipe|delete)\s+(?:out\s+)?(?:the\s+|my\s+|our\s+)?{_GROC}(?:\s+list)?$"
    r"|^(?:got|bought) (?:it all|everything|all of it)$|^done shopping$"
)


def add_groceries(m: Msg) -> Action | None:
    match = RE_ADD_GROCERIES.match(m.low)
    if not match:
        return None
    group = next(i for i in range(1, 8) if match.group(i))
    entries = grocery_entries(m.norm[match.start(group) : match.end(group)])
    if not entries:
        return ask("What should I add to the grocery list?", "add_groceries", {}, "items")
    return call("add_groceries", items=entries)


def list_groceries(m: Msg) -> Action | None:
    return call("list_groceries") if RE_LIST_GROCERIES.match(m.low) else None


def clear_groceries(m: Msg) -> Action | None:
    return call("clear_groceries") if RE_CLEAR_GROCERIES.match(m.low) else None


def check_groceries(m: Msg) -> Action | None:
    match = RE_CHECK_GROCERIES.match(m.low)
    if not match:
        return None
    group = next(i for i in range(1, 4) if match.group(i))
    raw = m.norm[match.start(group) : match.end(group)]
    if re.fullmatch(r"(?i)(?:it|this|that|you|ya|them|one|there|home|back|up|off|\d+)", raw.strip()):
        return None
    if find_amount(raw, m.ctx.currency) is not None:
        return None  # "bought lunch for $12" is an expense
    if group == 1 and (find_when(raw, m.now) is not None or len(raw) > 80):
        return None  # "got to call mom at 5" is not a grocery run
    names = [re.sub(r"(?i)^(?:the|some|my)\s+", "", n).strip() for n in split_items(raw)]
    names = [n for n in names if n]
    return call("check_groceries", names=names) if names else None


GROCERY_WORDS = {
    "milk", "eggs", "egg", "bread", "butter", "cheese", "yogurt", "yoghurt", "apples", "apple", "bananas",
    "banana", "oranges", "lemons", "limes", "berries", "strawberries", "grapes", "tomatoes", "tomato", "potatoes",
    "onions", "garlic", "lettuce", "spinach", "carrots", "broccoli", "peppers", "avocado", "avocados", "rice",
    "pasta", "noodles", "flour", "sugar", "salt", "pepper", "oil", "coffee", "tea", "juice", "water", "soda",
    "beer", "wine", "cereal", "oats", "chicken", "beef", "pork", "fish", "salmon", "tuna", "tofu", "beans",
    "ham", "bacon", "sausages", "cream", "chips", "snacks", "cookies", "chocolate", "honey", "jam", "peanut",
    "toilet", "paper", "soap", "detergent", "shampoo", "toothpaste", "diapers", "dog", "cat", "food",
}  # fmt: skip
RE_ERRAND = re.compile(r"^(?:buy|get|pick up|grab|need|we need|i need|add)\s+(?:some\s+|more\s+)?(.+)$")


def errand(m: Msg) -> Action | None:
    """'buy milk and eggs' -> groceries when it names food or household basics, else a task."""
    match = RE_ERRAND.match(m.low)
    if not match or "?" in m.text:
        return None
    raw = m.norm[match.start(1) : match.end(1)]
    entries = grocery_entries(raw)
    words = set(re.findall(r"[a-z]+", raw.lower()))
    if entries and words & GROCERY_WORDS and find_when(raw, m.now) is None:
        return call("add_groceries", items=entries)
    raw_task = m.norm[match.start(1) :] if m.low.startswith("add ") else m.norm
    return call("add_task", **task_args(m, raw_task))


# --- expenses --------------------------------------------------------------------------------
CATEGORIES = {
    "food": ("lunch", "dinner", "breakfast", "brunch", "coffee", "cafe", "restaurant", "pizza", "burger", "takeout",
             "take-out", "snack", "snacks", "food", "sushi", "tacos", "drinks", "beer", "bar", "starbucks", "meal"),
    "groceries": ("groceries", "grocery", "supermarket", "market", "costco", "aldi", "walmart"),
    "transport": ("uber", "lyft", "taxi", "cab", "gas", "fuel", "petrol", "bus", "train", "metro", "subway",
                  "parking", "toll", "tolls", "ticket", "transit", "flight"),
    "housing": ("rent", "mortgage", "electricity", "electric", "water", "internet", "utilities", "wifi"),
    "subscriptions": ("netflix", "spotify", "subscription", "hulu", "disney", "prime", "icloud", "gym"),
    "health": ("doctor", "pharmacy", "meds", "medication", "medicine", "therapy", "dentist", "prescription"),
    "shopping": ("clothes", "shoes", "amazon", "shirt", "jacket", "gift", "gifts", "book", "books"),
    "fun": ("movie", "movies", "cinema", "concert", "game", "games", "show", "tickets"),
}  # fmt: skip
RE_SUMMARY = re.compile(
    r"\bhow much (?:did|have|do) (?:i|we) (?:spen[dt]|spend|pay|paid)\b|\b(?:my\s+)?(?:spending|expenses?)\s+"
    r"(?:summary|report|so far|this|today|last|for)\b|^(?:expense|spending) summary$|^(?:my\s+)?(?:spending|expenses)$"
    r"|\bwhat did i spend\b|\bhow much have i spent\b|\btotal spen[dt]\b"
)
RE_SPENT = re.compile(
    r"\b(?:spent|spend|paid|pay|bought|cost|costs|expense|charged|dropped|blew)\b|^(?:log|add|track)\s+(?:an?\s+)?expense"
)


RE_SPENT_PAST = re.compile(
    r"\b(?:spent|paid|bought|cost|charged|dropped|blew)\b|^(?:log|add|track)\s+(?:an?\s+)?expense"
)
RE_NOUN_PRICE = re.compile(r"[a-z][a-z ]{1,30}\s\d{1,6}[.,]\d{2}|\d{1,6}[.,]\d{2}\s(?:for\s|on\s)?[a-z][a-z ]{1,30}")


def category_for(text: str) -> str | None:
    words = set(re.findall(r"[a-z][a-z-]*", text.lower()))
    for category, keys in CATEGORIES.items():
        if words & set(keys):
            return category
    return None


def expense_summary(m: Msg) -> Action | None:
    if not RE_SUMMARY.search(m.low):
        return None
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


def log_expense(m: Msg) -> Action | None:
    money = find_amount(m.norm, m.ctx.currency)
    spent_words = RE_SPENT.search(m.low)
    if money is None and RE_NOUN_PRICE.fullmatch(m.low):
        money = find_amount(m.norm, m.ctx.currency, allow_bare=True)  # "coffee 4.50"
        spent_words = spent_words or RE_NOUN_PRICE.fullmatch(m.low)
    if money is None:
        if not spent_words or "?" in m.text or re.match(r"^(?:what|how|when|where)\b", m.low):
            return None
        money = find_amount(m.norm, m.ctx.currency, allow_bare=True)
        if money is None:
            if not RE_SPENT_PAST.search(m.low) or find_when(m.norm, m.now) is not None:
                return None  # "pay the bill friday" is a to-do, not an expense
            note = _note(re.sub(RE_SPENT.pattern, " ", m.norm, flags=re.I))
            return ask(
                m.voice.pick("ask-amount", ["How much was it?", "How much did it cost?"]),
                "log_expense",
                {"note": note, "category": category_for(note or "")},
                "amount",
            )
    elif not spent_words and len(re.findall(r"[A-Za-z]{2,}", m.norm)) > 6:
        return None  # a long sentence that mentions money is not obviously an expense
    rest = m.norm[: money.span[0]] + " " + m.norm[money.span[1] :]
    rest = re.sub(RE_SPENT.pattern, " ", rest, flags=re.I)
    spent_at = None
    if re.search(r"\byesterday\b", rest, re.I):
        spent_at = (m.now - timedelta(days=1)).isoformat()
        rest = re.sub(r"(?i)\byesterday\b", " ", rest)
    note = _note(rest)
    return call(
        "log_expense",
        amount=money.amount,
        currency=money.currency,
        note=note,
        category=category_for(note or "") or ("groceries" if "grocer" in m.low else None),
        spent_at=spent_at,
    )


def _note(text: str) -> str | None:
    note = re.sub(r"(?i)^\s*(?:i|we|just|on|for|at|a|an|the|me)\b", " ", text)
    note = re.sub(r"(?i)\b(?:i|just|today|on|for|at|was|is|were|came to|total)\s*$", " ", note)
    note = re.sub(r"\s+", " ", note).strip(" ,.;:-!")
    note = re.sub(r"(?i)^(?:on|for|at)\s+", "", note).strip()
    return note[:300] or None
