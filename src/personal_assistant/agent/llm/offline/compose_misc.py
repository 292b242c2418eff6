"""Reply composers for memory, focus, settings, time and connector tools (shapes in results.py)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from personal_assistant.agent.llm.offline.reply_kit import (
    Reply,
    hm,
    item_list,
    numbered,
    spoken,
)
from personal_assistant.agent.llm.offline.style import (
    THREE_SEGMENTS,
    clip,
    clock,
    fit,
    second_person,
    when_label,
)


# --- memory, focus, settings, time -----------------------------------------------------------
def remember(r: Reply, data: dict[str, Any]) -> str:
    content = clip(second_person(str(data.get("content") or "")), 90)
    if data.get("outcome") == "updated" and data.get("previous"):
        previous = clip(second_person(str(data["previous"])), 60)
        return f"Updated: {content} (it was: {previous})."
    if data.get("outcome") == "unchanged":
        return f"I already had that: {content}."
    return r.voice.pick("mem", [f"Saved: {content}. Ask me anytime.", f"I'll remember that: {content}."])


def memory_overview(r: Reply, data: dict[str, Any]) -> str:
    total = int(data.get("total") or 0)
    items = [clip(second_person(str(i.get("content"))), 70) for i in item_list(data) if i.get("content")]
    if not total or not items:
        return "I don't have anything saved about you yet. Text 'remember ...' and I'll keep it."
    body, _ = numbered(items[:3], THREE_SEGMENTS - 60)
    more = f" and {total - min(3, len(items))} more" if total > 3 else ""
    return (f"I remember {total} thing{'s' if total != 1 else ''} about you, like: {body}{more}. "
            "See or edit them all on the dashboard (Memories), or text 'forget ...'.")


def recall(r: Reply, data: dict[str, Any]) -> str:
    items = [clip(second_person(str(i.get("content"))), 150) for i in item_list(data) if i.get("content")]
    if not items:
        return "I don't have anything saved about that. Text 'remember ...' and I'll keep it."
    if len(items) == 1:
        return r.voice.pick("recall", [f"You told me: {items[0]}", f"From your notes: {items[0]}"])
    body, _ = numbered(items[:3], THREE_SEGMENTS - 30)
    return f"Here's what I have: {body}"


def start_focus(r: Reply, data: dict[str, Any]) -> str:
    minutes = data.get("minutes")
    label = spoken(data.get("label"), 50)
    end = r.at(data, "local_end", "ends_at")
    until = f" (until {clock(end)})" if end else ""
    on = f" on {label}" if label else ""
    check = " I'll check in halfway." if data.get("midway_checkin") else ""
    return r.voice.pick(
        "focus",
        [
            f"Timer set: {minutes} min{on}{until}.{check} I'll text you at the end. Phone down, you've got this.",
            f"Go! {minutes} min{on}{until}.{check} I'll ping you when time's up.",
        ],
    )


def end_focus(r: Reply, data: dict[str, Any]) -> str:
    if not data.get("id"):
        return "No focus session is running. Start one with 'focus 25 on ...'."
    minutes = data.get("minutes")
    label = spoken(data.get("label"), 40)
    on = f" on {label}" if label else ""
    done = f"{minutes} min{on}" if isinstance(minutes, int) and minutes > 0 else f"Session{on} done"
    return r.voice.pick(
        "focus-end",
        [f"Nice! {done}. Stretch, drink some water.", f"{done}. Well done! Take a short break."],
    )


def update_settings(r: Reply, data: dict[str, Any]) -> str:
    changed: list[Any] = data["changed"] if isinstance(data.get("changed"), list) else list(data.keys())
    parts = []
    if "timezone" in changed and data.get("timezone"):
        tz = str(data["timezone"])
        try:
            local = clock(r.now.astimezone(ZoneInfo(tz)))
            parts.append(f"Time zone set to {tz}. It's {local} there now.")
        except Exception:
            parts.append(f"Time zone set to {tz}.")
    if "quiet_hours_start" in changed or "quiet_hours_end" in changed:
        start, end = data.get("quiet_hours_start"), data.get("quiet_hours_end")
        if start and end:
            parts.append(f"Quiet hours {hm(start)}-{hm(end)}. I won't text then unless it's urgent.")
        else:
            parts.append("Quiet hours are off now.")
    if "morning_checkin" in changed and data.get("morning_checkin"):
        parts.append(f"Morning check-in at {hm(data['morning_checkin'])}.")
    if "evening_checkin" in changed and data.get("evening_checkin"):
        parts.append(f"Evening check-in at {hm(data['evening_checkin'])}.")
    if "checkins_enabled" in changed and len(parts) == 0:
        parts.append("Check-ins are on." if data.get("checkins_enabled") else "Check-ins are off. Text me anytime.")
    if "currency" in changed and data.get("currency"):
        parts.append(f"Got it, I'll log spending in {data['currency']} from now on.")
    if "escalation_minutes" in changed or "escalation_max" in changed:
        times, minutes = data.get("escalation_max"), data.get("escalation_minutes")
        if times == 0:
            parts.append("Okay, each reminder goes out once. No repeats.")
        elif isinstance(times, int) and isinstance(minutes, int):
            total = times + 1
            parts.append(f"If you don't answer, I'll re-send every {minutes} min, {total} texts at most.")
        else:
            parts.append("Reminder repeats updated.")
    if "day_parts" in changed:
        raw = data.get("day_parts")
        own = raw if isinstance(raw, dict) else {}
        shown = ", ".join(f"{k} = {hm(v)}" for k, v in own.items())
        parts.append(f"Noted: {shown}." if shown else "Back to the usual day-part times.")
    if "name" in changed and data.get("name"):
        parts.append(f"Nice to meet you, {clip(str(data['name']), 30)}!")
    return " ".join(parts) or "Settings updated."


def current_time(r: Reply, data: dict[str, Any]) -> str:
    at = r.at(data, "local_time") or r.now
    tz = data.get("timezone") or r.ctx.timezone
    return f"It's {clock(at)}, {at.strftime('%a %b')} {at.day} ({tz})."


# --- connectors ------------------------------------------------------------------------------
def connector(r: Reply, data: dict[str, Any], name: str) -> str:
    if data.get("summary"):
        title = f"{clip(str(data['title']), 60)}: " if data.get("title") else ""
        return fit(f"{title}{data['summary']}", THREE_SEGMENTS)
    items = item_list(data)
    if not items:
        return {
            "calendar_list_events": "Nothing on your calendar for that time. Clear skies!",
            "email_triage": "No emails need you right now.",
        }.get(name, "I didn't find anything for that.")
    lines = []
    for item in items:
        start = r.at(item, "local_start", "start")
        sender = f" from {clip(str(item['sender']), 25)}" if item.get("sender") else ""
        when = f"{when_label(start, r.now)} " if start else ""
        url = f" {item['url']}" if item.get("url") and name in ("web_search", "notion_search") else ""
        lines.append(f"{when}{clip(str(item.get('title') or item.get('snippet') or ''), 60)}{sender}{url}")
    body, _ = numbered(lines, THREE_SEGMENTS - 20)
    return body
