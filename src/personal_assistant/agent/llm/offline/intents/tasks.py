"""Task, breakdown and goal intents."""

from __future__ import annotations

import re

from personal_assistant.agent.llm.base import Action
from personal_assistant.agent.llm.offline.breakdown import breakdown_steps
from personal_assistant.agent.llm.offline.intent import Intent, Reading, ex
from personal_assistant.agent.llm.offline.message import Msg, ask, call
from personal_assistant.agent.llm.offline.when import find_when

LDN, SYD, LA, KOL, BER = "Europe/London", "Australia/Sydney", "America/Los_Angeles", "Asia/Kolkata", "Europe/Berlin"

# --- tasks -----------------------------------------------------------------------------------
RE_ADD_TASK = re.compile(
    r"^(?:add (?:a |new |another )?(?:task|to-?do|todo|item)|new (?:task|to-?do|todo)|create (?:a )?task|"
    r"make (?:a )?task|task|to-?do|to do|tasks?:|put down|add to (?:my )?(?:list|to-?do list|todo list|tasks))"
    r"\b\s*(?:[:\-]|for|to)?\s*(?P<t>.*)$"
)
RE_ADD_TO_LIST = re.compile(
    r"^(?:add|put|stick|throw|pop)\s+(?P<t>.+?)\s+(?:to|on|onto|in)\s+(?:my\s+|the\s+)?"
    r"(?:to-?do|to do|todo|task|tasks)?\s*(?:list|tasks)$"
)
RE_NEED_TO = re.compile(
    r"^(?:i\s+|we\s+)?(?:really\s+|still\s+)?(?:need to|have to|gotta|got to|must|should|ought to|have got to)\s+"
    r"(?:remember to\s+)?(?P<t>.+)$"
)
RE_LIST_TASKS = re.compile(
    r"^(?:(?:show|list|see|view|read|check|give me|send|tell me|what are)\s+(?:me\s+)?)?"
    r"(?:my\s+|the\s+|all\s+(?:my\s+)?)?"
    r"(?:open\s+|done\s+|finished\s+|completed\s+|current\s+)?(?:to-?do|todo|task|tasks|to-?dos|todos|list|to do list|"
    r"tasks list)(?:\s+list)?(?:\s+(?:today|for today|please|left))?"
    r"|what(?:'s| is|s)? (?:on|in) (?:my|the) (?:to-?do |todo |task )?list.*"
    r"|what(?:'s| is|s)? my (?:to-?do |todo |task )?list(?: today| for today)?"
    r"|what (?:do i (?:still )?(?:have|need|got) to do|should i do|should i work on|'s next|is next)"
    r"(?: today| now| next)?"
    r"|remind me (?:of |what(?:'s| is) on )?my (?:to-?do |task )?(?:list|tasks)"
    r"|(?:show |tell |give )?(?:me )?(?:everything|all|what's|whats) (?:on|in) (?:my|the) (?:to-?do|todo|task|tasks)"
    r"(?: list)?"
    r"|whats next|what's next|what now|what's left|whats left|what is left|what tasks do i have.*"
    r"|which tasks (?:do i have|are (?:open|left)).*|how many tasks.*|(?:do i have|have i got) any tasks.*"
    r"|what(?:'s| is) on my plate.*|what have i (?:got|finished|done)(?: today)?"
)
RE_DONE_TASK = re.compile(
    r"^(?:i\s+|i've\s+|ive\s+|just\s+|i just\s+)?(?:done|did|finished|completed|complete|check off|checked off|"
    r"cross off|crossed off|tick off|ticked off|mark|marked|x|\u2705)\s*[:\-]?\s+"
    r"(?:with\s+)?(?:task\s+|number\s+|no\.?\s*|#)?"
    r"(?P<ref>.+?)(?:\s+(?:as\s+)?(?:done|complete|completed|finished))?$"
    r"|^(?:task\s+|#)?(?P<ref2>\d{1,2})\s+(?:is\s+)?(?:done|finished|complete|completed)$"
    r"|^(?:i'm |im |i am )done with\s+(?P<ref3>.+)$"
)
RE_DELETE_TASK = re.compile(
    r"^(?:delete|remove|cancel|drop|scrap|get rid of|take off|cross out|nix|kill)\s+(?:the\s+|my\s+|that\s+)?"
    r"(?:task\s+|to-?do\s+)?(?P<ref>.+?)\s*(?:task|to-?do|from (?:my |the )?(?:to-?do |to do |task )?list|"
    r"off (?:my |the )?(?:to-?do |to do |task )?list)$"
    r"|^(?:delete|remove|cancel|drop)\s+(?:the\s+)?task\s+(?P<ref2>.+)$"
    r"|^take\s+(?P<ref3>.+?)\s+off\s+(?:my\s+|the\s+)?(?:to-?do\s+|to do\s+|task\s+)?list$"
)
RE_MOVE = re.compile(
    r"^(?:move|push|reschedule|shift|bump|change|put off|postpone|delay)\s+(?:the\s+|my\s+)?(?P<what>.+?)\s+"
    r"(?:to|till|until|for|back to|over to|off (?:to|till))\s+(?P<when>.+)$"
)
RE_ESTIMATE = re.compile(
    r"\(?(?:~\s*|\b(?:about|around|takes?|est\.?|estimate:?)\s+)?\b(\d{1,3})\s*(min|mins|minutes|m|h|hr|hrs|hours?)\b\)?",
    re.I,
)
RE_HIGH = re.compile(r"\b(?:high priority|top priority|urgent|important|asap)\b|!!+", re.I)
RE_LOW = re.compile(r"\b(?:low priority|someday|whenever|no rush)\b", re.I)
RE_GOAL_REF = re.compile(
    r"\s+(?:for|under|towards?|toward)\s+(?:my\s+|the\s+)?goal\s*:?\s*(.+)$|\s+for (?:my|the) (.+?) goal$", re.I
)


def _estimate(low: str) -> tuple[int | None, tuple[int, int] | None]:
    """'(about 20 min)', '~30m', 'takes 1h' or a duration ending the title: minutes and its span."""
    for m in RE_ESTIMATE.finditer(low):
        before = low[max(0, m.start() - 10) : m.start()]
        marked = m.group(0).startswith(("(", "~")) or re.match(r"(?i)about|around|takes?|est", m.group(0))
        trailing = not low[m.end() :].strip(" .)")
        if re.search(r"\b(?:in|for|within|after|every)\s*$", before) or not (marked or trailing):
            continue  # "in 30 min" is a due time, "for 30 min" a focus block
        value = int(m.group(1)) * (60 if m.group(2).lower().startswith("h") else 1)
        if 1 <= value <= 24 * 60:
            return value, m.span()
    return None, None


def task_args(m: Msg, start: int, end: int, *, default_hour: int = 17) -> dict[str, object]:
    """Title (own words), due date (date-only when no time was given), estimate, priority and goal
    of the task written in `m.norm[start:end]`."""
    low = m.low[:end]
    spans: list[tuple[int, int]] = []
    goal = None
    goal_match = RE_GOAL_REF.search(low, start)
    if goal_match:
        group = 1 if goal_match.group(1) else 2
        goal = m.own(goal_match.start(group), goal_match.end(group)).strip() or None
        end = goal_match.start()
        low = m.low[:end]
    estimate, estimate_span = _estimate(low[start:])
    if estimate_span:
        spans.append((estimate_span[0] + start, estimate_span[1] + start))
    priority = 1 if re.search(r"!!", m.text) else None  # "reply to landlord !!" (the marks are not in norm)
    for pattern, value in ((RE_HIGH, 1), (RE_LOW, 3)):
        found = [(a.start() + start, a.end() + start) for a in pattern.finditer(low[start:])]
        if found and priority is None:
            priority = value
            spans.extend(found)
    due = None
    masked = "".join(" " if any(s <= i < e for s, e in spans) else ch for i, ch in enumerate(m.norm[:end]))
    when = find_when(masked[start:end], m.now, default_hour=default_hour, day_parts=m.ctx_day_parts)
    if when is not None and not when.rrule:
        due = when.iso if when.has_time else when.date_iso
        spans.extend((a + start, b + start) for a, b in when.spans)
    title = m.own_without(start, end, spans)
    title = re.sub(r"\s+", " ", title).strip(" ,.;:-")
    title = re.sub(r"(?i)\s+(?:by|due|before|on|at|for|please)$", "", title).strip(" ,.;:-")
    title = re.sub(r"(?i)^(?:to|a task to|that i)\s+", "", title).strip()
    return {"title": _cut_words(title, 200), "due_at": due, "estimate_minutes": estimate, "priority": priority,
            "goal_ref": goal}


def _cut_words(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def add_task(m: Msg, match: re.Match[str] | None) -> Action | None:
    if match is None:
        return None
    args = task_args(m, match.start("t"), match.end("t"))
    if re.fullmatch(r"(?i)(?:list|lists|list please|items?)", str(args["title"])):
        return None  # "todo list" asks for the list
    if not args["title"]:
        return ask("What's the task?", "add_task", {k: v for k, v in args.items() if k != "title"}, "title")
    return call("add_task", **args)


def need_to(m: Msg, match: re.Match[str] | None) -> Reading | None:
    if match is None or "?" in m.text:
        return None
    args = task_args(m, match.start("t"), match.end("t"))
    if not args["title"] or re.fullmatch(r"(?i)(?:sleep|rest|relax|eat|breathe|pee|go|leave|think|focus|chill)",
                                         str(args["title"])):
        return None
    return Reading("add_task", call("add_task", **args), 0.85)


def list_tasks(m: Msg, _match: re.Match[str] | None) -> Action | None:
    if re.search(r"\b(?:done|finished|completed)\b", m.low) or re.match(r"^what have i (?:got|finished|done)", m.low):
        return call("list_tasks", status="done")
    if re.search(r"\ball\b", m.low):
        return call("list_tasks", status="all")
    return call("list_tasks")


def complete_task(m: Msg, match: re.Match[str] | None) -> Action | None:
    if match is None:
        return None
    group = next(g for g in ("ref", "ref2", "ref3") if match.group(g))
    ref = m.own(match.start(group), match.end(group)).strip(" #.")
    ref = re.sub(r"(?i)^(?:the|my|that|this)\s+(?=\S)", "", ref)
    ref = re.sub(r"(?i)\s+task$", "", ref).strip()
    if not ref or re.fullmatch(r"(?i)focus(?:ing)?|it|that|this|all|everything|em|them|now|already", ref):
        return None
    from personal_assistant.agent.llm.offline.lists import GROCERY_WORDS

    words = set(re.findall(r"[a-z]+", ref.lower()))
    if "task" not in m.low and (words & {"grocery", "groceries", "shopping"} or (
            words and words <= GROCERY_WORDS | {"the", "and", "some", "my", "off", "on", "list"})):
        return None  # "check off the lemons": the grocery list
    last = m.ctx.last_list or {}
    if ref.isdigit() and last.get("kind") == "reminders":
        ids = last.get("ids") or []
        if 1 <= int(ref) <= len(ids):
            return call("acknowledge_reminder", reminder_id=str(ids[int(ref) - 1]))
    return call("complete_task", ref=ref[:200])


def delete_task(m: Msg, match: re.Match[str] | None) -> Action | None:
    if match is None:
        return None
    group = next(g for g in ("ref", "ref2", "ref3") if match.group(g))
    ref = re.sub(r"(?i)^(?:the|my|that|this)\s+", "", m.own(match.start(group), match.end(group))).strip(" #.")
    if not ref or re.search(r"\b(?:reminders?|groceries|grocery|shopping)\b", ref.lower()):
        return None
    last = m.ctx.last_list or {}
    if ref.isdigit() and last.get("kind") == "reminders":
        return None
    return call("delete_task", ref=ref[:200])


def move_item(m: Msg, match: re.Match[str] | None) -> Reading | None:
    """'move the dentist to friday', 'push the taxes task to monday': reschedule by words."""
    if match is None:
        return None
    what = match.group("what")
    if re.search(r"check[ -]?in|quiet|focus|timer|session|time ?zone", what):
        return None  # settings and focus have their own words
    if re.fullmatch(r"it|that|this|this one|that one|everything|all", what):
        return None  # "push it to 8:15" is a follow-up (context intents)
    target = m.norm[match.start("when") : match.end("when")]
    when = find_when(target, m.now, day_parts=m.ctx_day_parts) or find_when("at " + target, m.now,
                                                                             day_parts=m.ctx_day_parts)
    if when is None or when.rrule:
        return None
    ref = re.sub(r"(?i)\s+(?:task|to-?do|reminder|appointment)$", "", m.own(match.start("what"), match.end("what")))
    ref = re.sub(r"(?i)^(?:the|my)\s+", "", ref).strip()
    if not ref:
        return None
    if re.search(r"\btask|to-?do\b", what):
        due = when.iso if when.has_time else when.date_iso
        return Reading("move_item", call("update_task", ref=ref[:200], due_at=due), 0.9)
    return Reading("move_item", call("reschedule", query=ref[:200], due_at=when.iso,
                                     keep_time=not when.has_time), 0.9)


# --- breakdown -------------------------------------------------------------------------------
RE_BREAKDOWN = re.compile(
    r"^(?:please\s+|pls\s+|can you\s+|could you\s+|help me\s+)?(?:break\s+down|breakdown|break\s+up|split\s+up|split|"
    r"chunk)\s*:?\s*(?:the\s+task\s+)?(.+?)"
    r"(?:\s+into\s+(?:small|tiny|smaller)?\s*steps)?$"
    r"|^break\s+(.+?)\s+(?:down|up|into steps)$"
    r"|\b(?:can'?t|cannot|can not|could not|couldn'?t|don'?t know how to|unable to)\s+(?:seem to\s+)?"
    r"(?:make myself\s+|bring myself to\s+|get myself to\s+)?(?:get\s+)?(?:start(?:ed)?|begin|focus)\s+"
    r"(?:on\s+|with\s+)?(.+)$"
    r"|\b(?:i'?m|i am|im|feeling|feel|so|really)\s+(?:so\s+|really\s+|totally\s+)?"
    r"(?:stuck|overwhelmed|paralyzed|frozen)\s+(?:on|with|by|about)\s+(.+)$"
    r"|\b(?:help me|how do i|how can i|where do i)\s+(?:even\s+)?(?:start|begin|get started)\s*(?:on|with)?"
    r"\s+(.+)$"
    r"|\b(?:i keep|i've been|ive been|been|i'm|im)\s+(?:putting off|avoiding|procrastinating on|procrastinating)"
    r"\s+(.+)$"
    r"|\bdon'?t know where to (?:start|begin)\s+(?:with|on)\s+(.+)$"
)


def breakdown(m: Msg, match: re.Match[str] | None) -> Action | None:
    if match is None:
        return None
    group = next(i for i in range(1, 8) if match.group(i))
    title = m.own(match.start(group), match.end(group))
    title = re.sub(r"(?i)^(?:on|with|the task|doing|to)\s+", "", title)
    for _ in range(3):
        title = re.sub(r"(?i)\s*\b(?:at all|today|right now|now|anymore|any more|again|lately|rn)$", "", title)
    title = title.strip(" ,.;:-!?")
    if not title or len(title) > 200 or re.fullmatch(r"(?i)anything|at all|stuff|things|work|it all", title):
        return None
    if re.fullmatch(r"(?i)it|this|that|things|stuff|everything|something|a task|anything", title):
        return ask("Sure! Which task should we break down?", "break_down_task", {}, "title")
    return call("break_down_task", title=title, steps=breakdown_steps(title))


# --- goals -----------------------------------------------------------------------------------
RE_ADD_GOAL = re.compile(
    r"^(?:new goal|add (?:a |new )?goal|set (?:a |new )?goal|create (?:a )?goal|goal|my (?:new )?goal is|"
    r"my goal:|i want to set a goal)(?![a-z])\s*(?:is\s+)?(?:to\s+|of\s+)?[:\-]?\s*(?P<t>.*)$"
)
RE_LIST_GOALS = re.compile(
    r"^(?:(?:show|list|see|view|what are|what're|whats|what's|tell me)\s+(?:me\s+)?)?(?:my\s+|all my\s+|all\s+|the\s+)?"
    r"goals"
    r"(?:\s+list)?$|^how are my goals.*$|^(?:what|which) goals (?:do i have|am i working on|have i got).*$"
    r"|^what am i working towards.*$|^(?:do i have|have i got) any goals.*$|^remind me (?:of |what )?my goals(?: are)?$"
)


def add_goal(m: Msg, match: re.Match[str] | None) -> Action | None:
    if match is None:
        return None
    start, end = match.start("t"), match.end("t")
    while start < end and m.norm[start] in ":- ":
        start += 1
    spans: list[tuple[int, int]] = []
    why = None
    why_match = re.search(r"\s+(?:because|since|so that|so)\s+(.+)$", m.low[start:end])
    if why_match:
        why = m.own(start + why_match.start(1), start + why_match.end(1)).strip() or None
        end = start + why_match.start()
    target = None
    when = find_when(m.norm[start:end], m.now)
    if when is not None and not when.rrule and when.has_date:
        target = when.date_iso
        spans.extend((a + start, b + start) for a, b in when.spans)
    title = m.own_without(start, end, spans)
    title = re.sub(r"(?i)\s+(?:by|before|until|in)$", "", title.strip(" ,.;:-")).strip()
    if not title:
        return ask("What's the goal?", "add_goal", {"target_date": target, "why": why}, "title")
    return call("add_goal", title=_cut_words(title, 200), why=why, target_date=target)


def list_goals(m: Msg, _match: re.Match[str] | None) -> Action:
    return call("list_goals")


# --- the intents ---------------------------------------------------------------------------------
ADD_TASK = Intent(
    "add_task",
    add_task,
    patterns=(RE_ADD_TASK, RE_ADD_TO_LIST),
    tool="add_task",
    priority=92,
    summary="'add task X', 'todo X by friday', 'add X to my list' (estimate, priority, goal)",
    examples=(
        ex("add task renew passport", "add_task", title="renew passport", due_at=...),
        ex("todo buy printer ink by friday", "add_task", title="buy printer ink", due_at="2026-03-13"),
        ex("so like add task email bob lol", "add_task", title="email bob"),
        ex("add task check the spending report", "add_task", title="check the spending report"),
        ex("add task pay the $40 parking fine", "add_task", title="pay the $40 parking fine"),
        ex("add a task to call the plumber 2moro", "add_task", title="call the plumber", due_at="2026-03-08"),
        ex("to-do: file taxes by april 15", "add_task", title="file taxes", due_at="2026-04-15"),
        ex("new task send invoice tomorrow at 10am", "add_task", title="send invoice",
           due_at="2026-03-08 10:00", tz=LDN),
        ex("add task clean fridge (about 20 min)", "add_task", title="clean fridge", estimate_minutes=20),
        ex("add task pay the fine asap", "add_task", title="pay the fine", priority=1),
        ex("todo taxes ~2h", "add_task", title="taxes", estimate_minutes=120),
        ex("add task reorganize bookshelf someday", "add_task", title="reorganize bookshelf", priority=3),
        ex("add task buy running shoes for goal run a 5k", "add_task", title="buy running shoes",
           goal_ref="run a 5k"),
        ex("add call the landlord to my list", "add_task", title="call the landlord"),
        ex("put book the vet on my to do list", "add_task", title="book the vet"),
        ex("ADD TASK RENEW LICENSE", "add_task", title="RENEW LICENSE"),
        ex("add task renew passport \U0001F64F", "add_task", title="renew passport"),
        ex("add task w/ Sam: plan the party", "add_task", title="w/ Sam: plan the party"),
        ex("task: return the library books b4 friday", "add_task", title="return the library books",
           due_at="2026-03-13", tz=SYD),
        ex("hmm add task text the landlord abt the leak", "add_task", title="text the landlord abt the leak"),
        ex("add task dentist appt forms", "add_task", title="dentist appt forms"),
        ex("add task delete old photos", "add_task", title="delete old photos"),
        ex("add task remind Jo about the rent", "add_task", title="remind Jo about the rent"),
        ex("add task log receipts for taxes", "add_task", title="log receipts for taxes", tz=KOL),
        ex("add task order groceries online", "add_task", title="order groceries online", tz=BER),
        ex("add todo call mum on sunday", "add_task", title="call mum", due_at="2026-03-08", tz=LDN),
        ex("new todo: fix the bike brakes", "add_task", title="fix the bike brakes", tz=LA),
        ex("add task email the school high priority", "add_task", title="email the school", priority=1),
        ex("add task renew car insurance next week", "add_task", title="renew car insurance",
           due_at="2026-03-09"),
        ex("add task write thank you cards", "add_task", title="write thank you cards"),
        ex("add task", "add_task", expect="clarify", says="task"),
    ),
)

NEED_TO = Intent(
    "need_to",
    need_to,
    patterns=(RE_NEED_TO,),
    tool="add_task",
    priority=45,
    strong=False,
    summary="'I need to renew my license': a task",
    examples=(
        ex("I need to renew my license", "add_task", ("add_task", {"title": "renew my license"})),
        ex("gotta call the bank tmrw", "add_task", ("add_task", {"title": "call the bank", "due_at": "2026-03-08"})),
        ex("i have to email my landlord", "add_task", ("add_task", {"title": "email my landlord"})),
        ex("I should book a haircut", "add_task", ("add_task", {"title": "book a haircut"})),
        ex("need to renew the car tax by friday", "add_task", ("add_task", {"title": "renew the car tax",
                                                                            "due_at": "2026-03-13"}), tz=LDN),
        ex("I still need to return the library books", "add_task",
           ("add_task", {"title": "return the library books"})),
        ex("gotta fix the bike", "add_task", ("add_task", {"title": "fix the bike"}), tz=SYD),
        ex("i really need to clean the fridge", "add_task", ("add_task", {"title": "clean the fridge"})),
        ex("we need to book the vet", "add_task", ("add_task", {"title": "book the vet"})),
        ex("I must send the invoice tmrw", "add_task", ("add_task", {"title": "send the invoice",
                                                                     "due_at": "2026-03-08"}), tz=BER),
    ),
)

LIST_TASKS = Intent(
    "list_tasks",
    list_tasks,
    patterns=(re.compile(r"^(?:" + RE_LIST_TASKS.pattern + r")$"),),
    tool="list_tasks",
    priority=84,
    summary="'what's on my list?', 'my tasks', 'what's next'",
    examples=(
        ex("what's on my list?", "list_tasks", status=...),
        ex("my tasks", "list_tasks"),
        ex("whats next", "list_tasks"),
        ex("show done tasks", "list_tasks", status="done"),
        ex("what tasks do i have", "list_tasks"),
        ex("whats my list", "list_tasks"),
        ex("todo list", "list_tasks"),
        ex("show my to-do list", "list_tasks"),
        ex("what should I do next?", "list_tasks"),
        ex("what's left", "list_tasks"),
        ex("list", "list_tasks"),
        ex("tasks", "list_tasks"),
        ex("what's on my plate", "list_tasks"),
        ex("how many tasks do I have left", "list_tasks"),
        ex("show all tasks", "list_tasks", status="all"),
        ex("what have I finished today", "list_tasks", status="done"),
        ex("what do i need to do today", "list_tasks", tz=LDN),
    ),
)

COMPLETE_TASK = Intent(
    "complete_task",
    complete_task,
    patterns=(RE_DONE_TASK,),
    tool="complete_task",
    priority=80,
    summary="'done 2' after a list, 'finished the report', 'check off call the plumber'",
    examples=(
        ex("done 2", "complete_task", ref="2"),
        ex("finished the report", "complete_task", ref="report"),
        ex("check off call the plumber", "complete_task", ref="call the plumber"),
        ex("mark 4 as done", "complete_task", ref="4"),
        ex("Done #3", "complete_task", ref="3"),
        ex("2 done", "complete_task", ref="2"),
        ex("done with renew passport", "complete_task", ref="renew passport"),
        ex("I'm done with the taxes", "complete_task", ref="taxes"),
        ex("completed: email boss", "complete_task", ref="email boss"),
        ex("finished the laundry", "complete_task", ref="laundry"),
        ex("just finished the report!!", "complete_task", ref="report"),
        ex("crossed off call mom", "complete_task", ref="call mom"),
        ex("done 1", "complete_task", ref="1"),
        ex("tick off the passport one", "complete_task", ref="passport one"),
        ex("i've completed the slides", "complete_task", ref="slides"),
    ),
)

DELETE_TASK = Intent(
    "delete_task",
    delete_task,
    patterns=(RE_DELETE_TASK,),
    tool="delete_task",
    priority=93,
    summary="'delete the dentist task', 'remove X from my list' (the verb and 'task' decide)",
    examples=(
        ex("delete the dentist task", "delete_task", ref="dentist"),
        ex("remove call bob from my list", "delete_task", ref="call bob"),
        ex("cancel task renew passport", "delete_task", ref="renew passport"),
        ex("get rid of the laundry task pls", "delete_task", ref="laundry"),
        ex("delete task 2", "delete_task", ref="2"),
        ex("remove the taxes task", "delete_task", ref="taxes"),
        ex("drop the gym task", "delete_task", ref="gym"),
        ex("take renew passport off my list", "delete_task", ref="renew passport"),
        ex("delete buy a printer from my to do list", "delete_task", ref="buy a printer"),
        ex("scrap the vacuum task", "delete_task", ref="vacuum"),
        ex("remove task call the bank", "delete_task", ref="call the bank"),
        ex("cancel the email Sam task", "delete_task", ref="email Sam"),
    ),
)

MOVE_ITEM = Intent(
    "move_item",
    move_item,
    patterns=(RE_MOVE,),
    priority=88,
    summary="'move the dentist to friday', 'push the taxes task to monday'",
    examples=(
        ex("move the dentist to friday", "move_item", ("reschedule", {"query": "dentist", "keep_time": True})),
        ex("push the taxes task to monday", "move_item", ("update_task", {"ref": "taxes", "due_at": "2026-03-09"})),
        ex("reschedule the vet reminder to 5pm", "move_item",
           ("reschedule", {"query": "vet", "due_at": "2026-03-07 17:00"})),
        ex("move my dentist appointment to tuesday at 3", "move_item",
           ("reschedule", {"query": "dentist", "due_at": "2026-03-10 15:00"})),
        ex("push the laundry reminder to tonight", "move_item",
           ("reschedule", {"query": "laundry", "due_at": "2026-03-07 20:00"})),
        ex("postpone the call with Jo to tomorrow at 11", "move_item",
           ("reschedule", {"query": "call with Jo", "due_at": "2026-03-08 11:00"}), tz=LDN),
        ex("move the passport task to next week", "move_item", ("update_task", {"ref": "passport"})),
        ex("bump the gym to 7pm", "move_item", ("reschedule", {"query": "gym", "due_at": "2026-03-07 19:00"})),
        ex("shift the meeting prep to monday", "move_item", ("reschedule", {"query": "meeting prep"})),
        ex("change the meds reminder to 9:30pm", "move_item",
           ("reschedule", {"query": "meds", "due_at": "2026-03-07 21:30"}), tz=SYD),
    ),
)

BREAKDOWN = Intent(
    "break_down_task",
    breakdown,
    patterns=(RE_BREAKDOWN,),
    tool="break_down_task",
    priority=82,
    summary="'I can't get started on X', 'break down: X' -> tiny first steps",
    examples=(
        ex("I can't get started on cleaning my room", "break_down_task", title="cleaning my room"),
        ex("break down: plan mom's birthday", "break_down_task", title="plan mom's birthday"),
        ex("I keep putting off calling the dentist", "break_down_task", title="calling the dentist"),
        ex("how do I even start my thesis?", "break_down_task", title="my thesis"),
        ex("break it down", "break_down_task", expect="clarify", says="which"),
        ex("break down my taxes", "break_down_task", title="my taxes"),
        ex("I'm stuck on the quarterly report", "break_down_task", title="the quarterly report"),
        ex("help me start studying for the exam", "break_down_task", title="studying for the exam"),
        ex("I'm so overwhelmed by the garage", "break_down_task", title="the garage"),
        ex("can't start the essay", "break_down_task", title="the essay"),
        ex("i dont know where to start with the move", "break_down_task", title="the move"),
        ex("been avoiding the dishes all day", "break_down_task", title="the dishes all day"),
        ex("breakdown: clean the kitchen", "break_down_task", title="clean the kitchen"),
        ex("split up plan the trip into steps", "break_down_task", title="plan the trip"),
        ex("where do I even begin with my inbox", "break_down_task", title="my inbox"),
        ex("i can't get started on my tax return", "break_down_task", title="my tax return", tz=LDN),
        ex("break the bathroom clean down", "break_down_task", title="the bathroom clean"),
    ),
)

ADD_GOAL = Intent(
    "add_goal",
    add_goal,
    patterns=(RE_ADD_GOAL,),
    tool="add_goal",
    priority=90,
    summary="'new goal: run a 5k by June' (why, target date)",
    examples=(
        ex("new goal: run a 5k by June", "add_goal", title="run a 5k", target_date="2026-06-30"),
        ex("goal: read 12 books this year", "add_goal", title="read 12 books this year"),
        ex("add goal learn spanish because I want to travel", "add_goal", title="learn spanish",
           why="I want to travel"),
        ex("my goal is to save $1000 by december", "add_goal", title="save $1000", target_date="2026-12-31"),
        ex("new goal: learn to cook", "add_goal", title="learn to cook"),
        ex("set a goal to read more", "add_goal", title="read more"),
        ex("goal - run a half marathon by october", "add_goal", title="run a half marathon",
           target_date="2026-10-31", tz=LDN),
        ex("add a goal: pay off the credit card", "add_goal", title="pay off the credit card"),
        ex("new goal get fit so I can hike with my kids", "add_goal", title="get fit", why="I can hike with my kids"),
        ex("my new goal is to sleep by 11", "add_goal", title="sleep by 11"),
        ex("create a goal to finish my thesis by june", "add_goal", title="finish my thesis",
           target_date="2026-06-30", tz=SYD),
        ex("new goal:", "add_goal", expect="clarify", says="goal"),
    ),
)

LIST_GOALS = Intent(
    "list_goals",
    list_goals,
    patterns=(RE_LIST_GOALS,),
    tool="list_goals",
    priority=85,
    summary="'my goals', 'what are my goals?'",
    examples=(
        ex("my goals", "list_goals"),
        ex("what are my goals?", "list_goals"),
        ex("which goals am I working on", "list_goals"),
        ex("show my goals", "list_goals"),
        ex("goals", "list_goals"),
        ex("whats my goals", "list_goals"),
        ex("list goals", "list_goals"),
        ex("how are my goals going", "list_goals"),
        ex("what am I working towards", "list_goals"),
        ex("do I have any goals?", "list_goals"),
        ex("all my goals", "list_goals"),
    ),
)

INTENTS = (ADD_TASK, NEED_TO, LIST_TASKS, COMPLETE_TASK, DELETE_TASK, MOVE_ITEM, BREAKDOWN, ADD_GOAL, LIST_GOALS)
