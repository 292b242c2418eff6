"""Grocery intents: add (lists with or without commas), show, check off, clear, errands."""

from __future__ import annotations

import re

from personal_assistant.agent.llm.base import Action
from personal_assistant.agent.llm.offline.amounts import find_amount
from personal_assistant.agent.llm.offline.intent import Intent, Reading, ex
from personal_assistant.agent.llm.offline.lists import GROCERY_WORDS, grocery_entries, split_items
from personal_assistant.agent.llm.offline.message import Msg, ask, call
from personal_assistant.agent.llm.offline.when import find_when

LDN, SYD, KOL = "Europe/London", "Australia/Sydney", "Asia/Kolkata"
_GROC = r"(?:grocery|groceries|grocerie|shopping|store|supermarket|food shop|shop)"
RE_ADD_GROCERIES = re.compile(
    rf"^(?:please\s+)?(?:add|put|stick|throw|pop|chuck|write down)\s+(?P<a>.+?)\s+(?:to|on|onto|in)\s+"
    rf"(?:the\s+|my\s+|our\s+)?{_GROC}(?:\s+list)?$"
    rf"|^(?:the\s+)?{_GROC}(?:\s+list)?\s*(?::|-|\+|add|plus)\s*(?P<b>.+)$"
    r"|^(?:we(?:'re| are)?|i'?m|i am|im)\s+(?:all\s+)?(?:out of|low on|running low on|almost out of|running out of)"
    r"\s+(?P<c>.+)$"
    r"|^(?:we\s+|i\s+)?(?:ran|run|running|are running|am running) (?:out of|low on)\s+(?P<d>.+)$"
    r"|^(?:need|we need|i need) to (?:buy|get|pick up)\s+(?P<e>.+)$"
    rf"|^(?:buy|get|pick up|grab)\s+(?P<f>.+?)\s+(?:from|at)\s+the\s+{_GROC}$"
    r"|^(?:out of|all out of)\s+(?P<g>.+)$"
)
RE_LIST_GROCERIES = re.compile(
    rf"^(?:(?:show|list|see|view|send|read|check|give)\s+(?:me\s+)?)?(?:my\s+|the\s+|our\s+)?{_GROC}(?:\s+list)?$"
    rf"|^what(?:'s| is|s)? on (?:my|the|our) {_GROC}(?: list)?.*$"
    rf"|^what do (?:i|we) need (?:from|at) the {_GROC}.*$|^what do (?:i|we) need to buy.*$"
    r"|^(?:do|did) (?:i|we) (?:need|have|put|add) (?P<item>.+?)(?: on (?:the|my) (?:list|groceries|grocery list|"
    r"shopping list))?$"
    r"|^is (?P<item2>.+?) on (?:the|my) (?:list|grocery list|shopping list|groceries)$"
)
RE_CHECK_GROCERIES = re.compile(
    r"^(?:i\s+|we\s+|just\s+|i just\s+)?(?:got|bought|picked up|grabbed|found)\s+(?:the\s+)?(?P<a>.+)$"
    rf"|^(?:check|cross|tick|mark)\s+(?:off\s+)?(?P<b>.+?)(?:\s+off)?(?:\s+(?:on|from|off)?\s*(?:the|my)\s+{_GROC}"
    r"(?:\s+list)?)?$"
    rf"|^(?:remove|delete|take)\s+(?P<c>.+?)\s+(?:from|off)\s+(?:the\s+|my\s+)?{_GROC}(?:\s+list)?$"
)
RE_CLEAR_GROCERIES = re.compile(
    rf"^(?:clear|empty|reset|wipe|delete)\s+(?:out\s+)?(?:the\s+|my\s+|our\s+)?{_GROC}(?:\s+list)?$"
    r"|^(?:got|bought) (?:it all|everything|all of it)(?: on (?:the|my) (?:list|grocery list|shopping list))?$"
    r"|^done shopping$"
)
RE_ERRAND = re.compile(r"^(?:buy|get|pick up|grab|need|we need|i need|add)\s+(?:some\s+|more\s+)?(?P<t>.+)$")


def _entries(m: Msg, match: re.Match[str]) -> list[dict[str, str | None]]:
    group = next(g for g in "abcdefg" if match.groupdict().get(g))
    return grocery_entries(m.own(match.start(group), match.end(group)))


def add_groceries(m: Msg, match: re.Match[str] | None) -> Action | None:
    if match is None:
        return None
    group = next(g for g in "abcdefg" if match.groupdict().get(g))
    raw = m.low[match.start(group) : match.end(group)]
    if group == "e" and not (set(re.findall(r"[a-z]+", raw)) & GROCERY_WORDS):
        return None  # "I need to buy a new laptop" is a task
    entries = _entries(m, match)
    if not entries:
        return ask("What should I add to the grocery list?", "add_groceries", {}, "items")
    return call("add_groceries", items=entries)


def list_groceries(m: Msg, match: re.Match[str] | None) -> Reading | None:
    if match is None:
        return None
    item = match.groupdict().get("item") or match.groupdict().get("item2")
    if item is not None:
        words = set(re.findall(r"[a-z]+", item))
        if not words & GROCERY_WORDS and not re.search(r"\b(?:list|groceries)\b", m.low):
            return None
        name = re.sub(r"(?i)^(?:any|some|more|the)\s+", "", item).strip()
        return Reading("list_groceries", call("list_groceries"), 0.9, detail={"item": name})
    return Reading("list_groceries", call("list_groceries"), 0.95)


def clear_groceries(m: Msg, _match: re.Match[str] | None) -> Action:
    return call("clear_groceries")


def check_groceries(m: Msg, match: re.Match[str] | None) -> Action | None:
    if match is None:
        return None
    group = next(g for g in "abc" if match.group(g))
    raw = m.own(match.start(group), match.end(group))
    if re.fullmatch(r"(?i)(?:it|this|that|you|ya|them|one|there|home|back|up|off|\d+|it all|everything.*)",
                    raw.strip()):
        return None
    if find_amount(raw, m.ctx.currency) is not None:
        return None  # "bought lunch for $12" is an expense
    if group == "a" and (find_when(raw, m.now) is not None or len(raw) > 80):
        return None  # "got to call mom at 5" is not a grocery run
    if group == "a" and re.match(r"(?i)(?:to|a|an|my|into|in|on|so|some time|time|home|there|up|out)\b", raw):
        return None  # "got to go", "got a new job"
    names = [re.sub(r"(?i)^(?:the|some|my)\s+", "", n).strip() for n in split_items(raw)]
    names = [n for n in names if n]
    return call("check_groceries", names=names) if names else None


def errand(m: Msg, match: re.Match[str] | None) -> Reading | None:
    """'buy milk and eggs' -> groceries when it names food or household basics, else a task."""
    if match is None or "?" in m.text:
        return None
    from personal_assistant.agent.llm.offline.intents.tasks import task_args

    raw = m.own(match.start("t"), match.end("t"))
    entries = grocery_entries(raw)
    words = set(re.findall(r"[a-z]+", raw.lower()))
    if entries and words & GROCERY_WORDS and find_when(raw, m.now) is None:
        return Reading("add_groceries", call("add_groceries", items=entries), 0.85)
    start = match.start("t") if m.low.startswith("add ") else 0
    args = task_args(m, start, len(m.norm))
    if not args["title"]:
        return None
    return Reading("add_task", call("add_task", **args), 0.82)


ADD_GROCERIES = Intent(
    "add_groceries",
    add_groceries,
    patterns=(RE_ADD_GROCERIES,),
    tool="add_groceries",
    priority=91,
    summary="'add milk, eggs and bread to groceries', 'oats bananas and yogurt', 'we're out of coffee'",
    examples=(
        ex("add milk, eggs and bread to groceries", "add_groceries",
           items=[{"name": "milk"}, {"name": "eggs"}, {"name": "bread"}]),
        ex("add oats bananas and yogurt to the shopping list", "add_groceries",
           items=[{"name": "oats"}, {"name": "bananas"}, {"name": "yogurt"}]),
        ex("put light bulbs on the grocery list", "add_groceries", items=[{"name": "light bulbs"}]),
        ex("groceries: coffee, oat milk", "add_groceries", items=[{"name": "coffee"}, {"name": "oat milk"}]),
        ex("we're out of toilet paper", "add_groceries", items=[{"name": "toilet paper"}]),
        ex("add 2 apples and a loaf of bread to the grocery list", "add_groceries",
           items=[{"name": "apples", "quantity": "2"}, {"name": "bread", "quantity": "1 loaf"}]),
        ex("add mac and cheese to groceries", "add_groceries", items=[{"name": "mac and cheese"}]),
        ex("pls add peanut butter + jam to groceries \U0001F95C", "add_groceries",
           items=[{"name": "peanut butter"}, {"name": "jam"}]),
        ex("add eggs milk bread to grocs", "add_groceries",
           items=[{"name": "eggs"}, {"name": "milk"}, {"name": "bread"}]),
        ex("ran out of coffee", "add_groceries", items=[{"name": "coffee"}]),
        ex("add a dozen eggs to the shopping list", "add_groceries", items=[{"name": "eggs", "quantity": "12"}],
           tz=LDN),
        ex("shopping list: bananas, 2 avocados", "add_groceries",
           items=[{"name": "bananas"}, {"name": "avocados", "quantity": "2"}], tz=SYD),
        ex("add cat food to the grocery list", "add_groceries", items=[{"name": "cat food"}]),
        ex("i need to buy milk and eggs", "add_groceries", items=[{"name": "milk"}, {"name": "eggs"}], tz=KOL),
        ex("add rice and lentils to the groceries", "add_groceries", items=[{"name": "rice"}, {"name": "lentils"}]),
        ex("put coffee on the shopping list", "add_groceries", items=[{"name": "coffee"}], tz="Europe/Berlin"),
        ex("we're low on dish soap", "add_groceries", items=[{"name": "dish soap"}]),
        ex("running low on oat milk", "add_groceries", items=[{"name": "oat milk"}]),
        ex("grocery list + tomatoes, basil", "add_groceries", items=[{"name": "tomatoes"}, {"name": "basil"}]),
        ex("throw batteries on the shopping list", "add_groceries", items=[{"name": "batteries"}]),
        ex("add 6 eggs and 2 lemons to groceries", "add_groceries",
           items=[{"name": "eggs", "quantity": "6"}, {"name": "lemons", "quantity": "2"}]),
        ex("stick bin bags on the shopping list", "add_groceries", items=[{"name": "bin bags"}], tz=LDN),
        ex("add milk & bread to groceries", "add_groceries", items=[{"name": "milk"}, {"name": "bread"}]),
        ex("need to buy coffee and filters", "add_groceries", items=[{"name": "coffee"}, {"name": "filters"}]),
        ex("groceries: 2 cans of tomatoes", "add_groceries", items=[{"name": "tomatoes", "quantity": "2 cans"}]),
    ),
)

LIST_GROCERIES = Intent(
    "list_groceries",
    list_groceries,
    patterns=(RE_LIST_GROCERIES,),
    tool="list_groceries",
    priority=86,
    summary="'grocery list', 'what's on the shopping list?', 'do we need milk?'",
    examples=(
        ex("grocery list", "list_groceries"),
        ex("what's on the shopping list?", "list_groceries"),
        ex("do we need milk?", "list_groceries"),
        ex("what do i need from the store", "list_groceries"),
        ex("groceries", "list_groceries"),
        ex("shopping list", "list_groceries"),
        ex("show me the grocery list", "list_groceries"),
        ex("what's on our shopping list", "list_groceries"),
        ex("what do we need to buy", "list_groceries"),
        ex("is milk on the list", "list_groceries"),
        ex("did I add eggs?", "list_groceries"),
        ex("send me the grocery list pls", "list_groceries"),
        ex("grocery list?", "list_groceries", tz=LDN),
    ),
)

CHECK_GROCERIES = Intent(
    "check_groceries",
    check_groceries,
    patterns=(RE_CHECK_GROCERIES,),
    tool="check_groceries",
    priority=78,
    summary="'got the milk', 'got milk and eggs', 'remove bread from the grocery list'",
    examples=(
        ex("got the milk", "check_groceries", names=["milk"]),
        ex("got milk and eggs", "check_groceries", names=["milk", "eggs"]),
        ex("remove bread from the grocery list", "check_groceries", names=["bread"]),
        ex("just grabbed the oats and bananas", "check_groceries", names=["oats", "bananas"]),
        ex("bought the eggs", "check_groceries", names=["eggs"]),
        ex("got milk, bread and coffee", "check_groceries", names=["milk", "bread", "coffee"]),
        ex("picked up the cat food", "check_groceries", names=["cat food"]),
        ex("check off the lemons", "check_groceries", names=["lemons"]),
        ex("cross off yogurt", "check_groceries", names=["yogurt"]),
        ex("tick off rice on my grocery list", "check_groceries", names=["rice"]),
        ex("take the bread off the shopping list", "check_groceries", names=["bread"]),
        ex("we got the toilet paper", "check_groceries", names=["toilet paper"]),
        ex("got oats bananas", "check_groceries", names=["oats", "bananas"]),
    ),
)

CLEAR_GROCERIES = Intent(
    "clear_groceries",
    clear_groceries,
    patterns=(RE_CLEAR_GROCERIES,),
    tool="clear_groceries",
    priority=87,
    summary="'clear groceries', 'got everything'",
    examples=(
        ex("clear groceries", "clear_groceries"),
        ex("got everything", "clear_groceries"),
        ex("clear the grocery list", "clear_groceries"),
        ex("empty my shopping list", "clear_groceries"),
        ex("done shopping", "clear_groceries"),
        ex("bought it all", "clear_groceries"),
        ex("reset the groceries", "clear_groceries"),
        ex("wipe the shopping list", "clear_groceries", tz=LDN),
        ex("got all of it", "clear_groceries"),
        ex("clear out the grocery list", "clear_groceries"),
        ex("delete my grocery list", "clear_groceries"),
        ex("clear groceries ✅", "clear_groceries"),
    ),
)

ERRAND = Intent(
    "errand",
    errand,
    patterns=(RE_ERRAND,),
    priority=25,
    strong=False,
    summary="'buy milk' -> groceries, 'buy printer ink' -> a task",
    examples=(
        ex("buy milk", "add_groceries", ("add_groceries", {"items": [{"name": "milk"}]})),
        ex("buy printer ink", "add_task", ("add_task", {"title": "buy printer ink"})),
        ex("add eggs", "add_groceries", ("add_groceries", {"items": [{"name": "eggs"}]})),
        ex("buy milk and bread", "add_groceries", ("add_groceries", {"items": [{"name": "milk"}, {"name": "bread"}]})),
        ex("get more coffee", "add_groceries", ("add_groceries", {"items": [{"name": "coffee"}]})),
        ex("pick up bananas", "add_groceries", ("add_groceries", {"items": [{"name": "bananas"}]})),
        ex("grab some cheese", "add_groceries", ("add_groceries", {"items": [{"name": "cheese"}]})),
        ex("buy a birthday card for Jo", "add_task", ("add_task", {"title": "buy a birthday card for Jo"})),
        ex("get the car washed", "add_task", ("add_task", {"title": "get the car washed"})),
        ex("buy new running shoes", "add_task", ("add_task", {"title": "buy new running shoes"})),
        ex("add call the landlord", "add_task", ("add_task", {"title": "call the landlord"})),
        ex("need eggs", "add_groceries", ("add_groceries", {"items": [{"name": "eggs"}]})),
    ),
)

INTENTS = (ADD_GROCERIES, LIST_GROCERIES, CHECK_GROCERIES, CLEAR_GROCERIES, ERRAND)
