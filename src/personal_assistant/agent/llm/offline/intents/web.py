"""Web intents: "look up …", "google …", "search the web for …" (web_search) and a YouTube link
with "summarize" / "what's this video about" / "tldr", or a bare link (youtube_summary).

Both tools need no account (agent/tools/web.py), so every user has them; they are tried before
the connector intents (which once answered these with the Connections page).
"""

from __future__ import annotations

import re

from personal_assistant.agent.llm.base import Action
from personal_assistant.agent.llm.offline.intent import Intent, ex
from personal_assistant.agent.llm.offline.message import Msg, call, say

TOOLS = ("web_search", "youtube_summary")  # offered to every user (corpus.py gives them to every example)

# A YouTube link as typed (matched on the original text: video ids are case-sensitive).
RE_LINK = re.compile(r"(?:https?://)?(?:[\w-]+\.)?(?:youtube(?:-nocookie)?\.com/\S+|youtu\.be/\S+)", re.I)
RE_VIDEO_ASK = re.compile(
    r"\bsummar|\btl;?dr\b|\bgist\b|\bworth watching\b|\bwhat(?:'s|s| is)? (?:this|that|the|it)\b.*\babout\b"
    r"|\bwhat(?:'s|s| is) (?:in|on) (?:this|that|the)\b|\babout\b|\bwatch\b|\bvideo\b|\bvid\b|\bclip\b|\brecap\b"
)
RE_VIDEO_WORDS = re.compile(r"\b(?:youtube|video|vid|clip)\b")
RE_WEB = re.compile(
    r"^(?:can you |could you |would you |please |pls |hey )*"
    r"(?:search the web|search the internet|search online|search google|web search|google search|search up|"
    r"search|google|look up|lookup|look online|find online|duckduckgo|ddg|bing)"
    r"(?:\s+(?:the web|online|the internet|on the web|on google|on the internet|web))?"
    r"\s*(?:for|about|on)?\s*:?\s*(?P<q>.+)$"
)
# Searches of the person's own things belong to other intents (notes, email, calendar, lists).
RE_OWN = re.compile(
    r"^(?:my|our|in my|in notion|notion|through my)\b|\b(?:notion|inbox|e-?mails?|gmail|outlook|calendar|"
    r"my (?:notes|tasks|reminders|list|memories|groceries))\b|^(?:calendar|drive|docs|mail|keep|meet|maps)\b"
)
RE_ELSEWHERE = re.compile(r"\bremind|\badd task|\btodo\b|\bremember\b|\bsave\b|\bnote to self\b")


def _no_tool(m: Msg, tool: str) -> Action:
    link = f"{m.ctx.dashboard_url.rstrip('/')}/connections"
    if tool == "youtube_summary":
        return say(m.voice.pick("connect", [f"I can help with YouTube once it's connected: {link}",
                                            f"To use YouTube, connect it here: {link}"]))
    return say(f"Web search isn't available right now. You can check {link} for what's connected.")


def youtube(m: Msg, _match: re.Match[str] | None) -> Action | None:
    if RE_ELSEWHERE.search(m.low):
        return None
    link = RE_LINK.search(m.text)
    if link is None:
        if RE_LINK.search(m.whole):
            return None  # the link is in another clause of this message, which reads it
        if RE_VIDEO_WORDS.search(m.low) and re.search(r"\bsummar|\btl;?dr\b|\bgist\b|\babout\b", m.low):
            return say("Send me the YouTube link and I'll summarize the video.")
        return None
    rest = (m.text[: link.start()] + " " + m.text[link.end():]).strip(" ?!.,:;-")
    if rest and not RE_VIDEO_ASK.search(m.low) and len(rest.split()) > 3:
        return None  # a link inside something else ("send this to mom ...")
    if not m.has_tool("youtube_summary"):
        return _no_tool(m, "youtube_summary")
    return call("youtube_summary", query=link.group(0).rstrip(".,!?)")[:500])


def web(m: Msg, match: re.Match[str] | None) -> Action | None:
    if match is None or RE_ELSEWHERE.search(m.low):
        return None
    start, end = match.span("q")
    query = m.own(start, end).strip(" ?!.:") or m.norm[start:end].strip(" ?!.:")
    if not query or RE_OWN.search(query.lower()):
        return None
    if not m.has_tool("web_search"):
        return _no_tool(m, "web_search")
    return call("web_search", query=query[:500])


YOUTUBE = Intent(
    "youtube_summary",
    youtube,
    tool="youtube_summary",
    priority=94,  # a YouTube link is rarely anything else ("give me the gist of <link>" is not a snooze)
    summary="'summarize https://youtu.be/…', 'what's this video about <link>', a bare YouTube link",
    examples=(
        ex("summarize this youtube video https://youtu.be/dQw4w9WgXcQ", "youtube_summary",
           query="https://youtu.be/dQw4w9WgXcQ"),
        ex("summarize https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube_summary",
           query="https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ex("what's this video about https://youtu.be/abcDEF12345", "youtube_summary",
           query="https://youtu.be/abcDEF12345"),
        ex("tldr https://youtu.be/abcDEF12345", "youtube_summary", query="https://youtu.be/abcDEF12345"),
        ex("https://youtu.be/abcDEF12345", "youtube_summary", query="https://youtu.be/abcDEF12345"),
        ex("can you summarise this for me youtube.com/watch?v=abcDEF12345", "youtube_summary",
           query="youtube.com/watch?v=abcDEF12345"),
        ex("what is this video about https://m.youtube.com/watch?v=abcDEF12345", "youtube_summary",
           query="https://m.youtube.com/watch?v=abcDEF12345"),
        ex("give me the gist of https://youtu.be/abcDEF12345", "youtube_summary",
           query="https://youtu.be/abcDEF12345"),
        ex("is this worth watching https://youtu.be/abcDEF12345", "youtube_summary",
           query="https://youtu.be/abcDEF12345"),
        ex("summarize youtube.com/shorts/abcDEF12345", "youtube_summary", query="youtube.com/shorts/abcDEF12345"),
        ex("https://www.youtube.com/watch?v=abcDEF12345&t=42s what's it about", "youtube_summary",
           query="https://www.youtube.com/watch?v=abcDEF12345&t=42s", tz="Europe/London"),
        ex("summarize this video", "youtube_summary", expect="answer", says="YouTube link"),
    ),
)

WEB = Intent(
    "web_search",
    web,
    patterns=(RE_WEB,),
    tool="web_search",
    priority=84,
    summary="'look up …', 'google …', 'search the web for …'",
    examples=(
        ex("look up how to descale a kettle", "web_search", query="how to descale a kettle"),
        ex("google best noise cancelling headphones", "web_search", query="best noise cancelling headphones"),
        ex("search the web for best running shoes", "web_search", query="best running shoes"),
        ex("search for adhd friendly recipes", "web_search", query="adhd friendly recipes"),
        ex("web search: opening hours of the post office", "web_search", query="opening hours of the post office"),
        ex("can you look up the weather in Boston", "web_search", query="the weather in Boston"),
        ex("search online for cheap flights to Denver", "web_search", query="cheap flights to Denver"),
        ex("lookup pomodoro technique", "web_search", query="pomodoro technique"),
        ex("search the internet about body doubling", "web_search", query="body doubling", tz="Europe/Berlin"),
        ex("google: how long to boil an egg", "web_search", query="how long to boil an egg"),
        ex("look up when the pharmacy closes", "web_search", query="when the pharmacy closes"),
    ),
)

INTENTS = (YOUTUBE, WEB)
