"""Tools that need no account, so every user has them: web search (ddgs) and YouTube summaries
(youtube-transcript-api; Gemini writes the summary when configured, else the first lines).

Both client libraries are blocking, so they run through resilience.guarded_sync ("web",
"youtube"): the user's rate limit, the provider's breaker, retries on transient errors, and a
deadline inside the Runner's tool timeout, so a hanging or failing provider turns into a kind
sentence in the reply (ToolFailed) instead of a stuck turn. Neither touches the database: the
call's session stays unused, so no transaction is open across the network call.

Network seams (production settings, used by the tests' fakes): ddgs honours WEB_SEARCH_PROXY
(any HTTP/SOCKS proxy, or "tb" for Tor) and WEB_SEARCH_CA_FILE (the roots to trust, e.g. a
TLS-inspecting proxy's); the transcript client gets a requests.Session that sets the request
timeout and, with YOUTUBE_BASE_URL, sends www.youtube.com requests elsewhere.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import requests
import structlog
from pydantic import Field

from personal_assistant.agent.tools.registry import ToolContext, ToolFailed, registry
from personal_assistant.agent.tools.schemas import Args
from personal_assistant.config import Settings, get_settings
from personal_assistant.core import resilience
from personal_assistant.core.resilience import ProviderUnavailable

log = structlog.get_logger("agent.tools.web")

YOUTUBE_ORIGIN = "https://www.youtube.com"
# Any link form: watch?v= (with other parameters first or not), youtu.be/, shorts/, embed/, live/,
# v/, m./music. hosts and youtube-nocookie.com.
_VIDEO_ID = re.compile(
    r"(?:youtube(?:-nocookie)?\.com/(?:watch\?(?:[^#\s]*?&)?v=|shorts/|embed/|live/|v/|e/)|youtu\.be/)"
    r"([A-Za-z0-9_-]{11})(?![A-Za-z0-9_-])"
)
_BARE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
TRANSCRIPT_LANGUAGES = ("en", "en-US", "en-GB")
SUMMARY_INPUT_CHARS = 12_000  # of transcript sent to Gemini (a ~15 minute talk)
FIRST_LINES_CHARS = 220  # without Gemini: the opening of the transcript


class WebQuery(Args):
    query: str = Field("", max_length=500, description="what to look up on the web, in the user's words")


class VideoQuery(Args):
    query: str = Field("", max_length=500, description="the YouTube link (any form) the user sent")


def video_id(text: str) -> str | None:
    """The 11-character video id of any YouTube link in `text` (or of a bare id)."""
    found = _VIDEO_ID.search(text or "")
    if found:
        return found.group(1)
    bare = (text or "").strip()
    return bare if _BARE_ID.match(bare) and re.search(r"\d|[A-Z].*[a-z]|[a-z].*[A-Z]|[-_]", bare) else None


def _deadline(settings: Settings) -> float:
    """Inside the Runner's timeout for the tool, so our own clear message wins over its generic one."""
    return max(1.0, min(settings.provider_deadline_seconds, settings.agent_tool_timeout_seconds - 1.0))


def _unavailable(what: str, exc: ProviderUnavailable) -> str:
    if exc.reason == "rate_limited":
        return f"That's a lot of {what} requests in a short time. Give it a minute and ask again?"
    if exc.reason == "timeout":
        return f"{what.capitalize()} is taking too long right now. Mind trying again in a bit?"
    return f"{what.capitalize()} isn't answering right now. Mind trying again in a bit?"


def _clip(text: Any, limit: int) -> str:
    value = " ".join(str(text or "").split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


# --- web search ----------------------------------------------------------------------------------
def _search(settings: Settings, query: str, request_timeout: int) -> list[dict[str, Any]]:
    from ddgs import DDGS
    from ddgs.exceptions import DDGSException

    client = DDGS(proxy=settings.web_search_proxy, timeout=request_timeout,
                  verify=settings.web_search_ca_file or True)
    try:
        return client.text(query, max_results=settings.web_search_max_results, backend=settings.web_search_backend,
                           safesearch="moderate")
    except DDGSException as exc:
        # ddgs raises for an empty result, and answers that were not 200 look the same to it.
        if "No results found" in str(exc):
            return []
        raise


def _web_transient(exc: BaseException) -> bool:
    # Past _search, any DDGSException is a network failure (TimeoutException included).
    return type(exc).__module__.startswith("ddgs") or resilience.is_transient(exc)


@registry.tool(
    "web_search",
    "Search the web (no account needed) and return a few results: title, link and a snippet each.",
    WebQuery,
)
async def web_search(ctx: ToolContext, args: WebQuery) -> dict[str, Any]:
    query = " ".join(args.query.split())
    if not query:
        raise ToolFailed("What should I look up?")
    settings = get_settings()
    deadline = _deadline(settings)
    # ddgs waits up to its timeout per engine round; two attempts must fit the deadline.
    request_timeout = max(1, int(min(settings.provider_timeout_seconds, deadline / 2)))
    try:
        hits = await resilience.guarded_sync(
            "web", lambda: _search(settings, query, request_timeout), user_id=ctx.user_id, attempts=2,
            transient=_web_transient, timeout=deadline,
        )
    except ProviderUnavailable as exc:
        raise ToolFailed(_unavailable("web search", exc)) from exc
    items = [
        {"title": _clip(hit.get("title"), 120), "url": hit.get("href") or hit.get("url"),
         "snippet": _clip(hit.get("body"), 240)}
        for hit in hits[: settings.web_search_max_results]
    ]
    return {"query": query, "items": items}


# --- YouTube -------------------------------------------------------------------------------------
class YouTubeSession(requests.Session):
    """The transcript client's HTTP session: every request gets a timeout (the library sets none)
    and, with a base URL, www.youtube.com requests go there instead (a fake server in tests)."""

    def __init__(self, *, timeout: float, base_url: str | None = None) -> None:
        super().__init__()
        self._timeout = timeout
        self._base_url = base_url.rstrip("/") if base_url else None

    def request(self, method, url, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        kwargs.setdefault("timeout", self._timeout)
        if self._base_url and isinstance(url, str) and url.startswith(YOUTUBE_ORIGIN):
            url = self._base_url + url[len(YOUTUBE_ORIGIN):]
        return super().request(method, url, *args, **kwargs)


def _fetch_transcript(settings: Settings, vid: str, request_timeout: float):
    from youtube_transcript_api import NoTranscriptFound, YouTubeTranscriptApi

    # One client per call: the library is not thread-safe (LIBRARY_NOTES §6).
    session = YouTubeSession(timeout=request_timeout, base_url=settings.youtube_base_url)
    try:
        transcripts = YouTubeTranscriptApi(http_client=session).list(vid)
        try:
            transcript = transcripts.find_transcript(TRANSCRIPT_LANGUAGES)
        except NoTranscriptFound:
            transcript = next(iter(transcripts))  # any language beats none
        return transcript.fetch()
    finally:
        session.close()


def _youtube_transient(exc: BaseException) -> bool:
    from youtube_transcript_api import YouTubeRequestFailed

    if isinstance(exc, YouTubeRequestFailed):  # raised while handling the HTTPError it wraps
        http_error = exc.__context__
        return isinstance(http_error, requests.HTTPError) and resilience.is_transient(http_error)
    return resilience.is_transient(exc)


def _youtube_failure(exc: BaseException) -> bool:
    from youtube_transcript_api import RequestBlocked

    # Blocked (a 429 or a bot check): not worth retrying now, but YouTube is refusing us: count it.
    return isinstance(exc, RequestBlocked) or _youtube_transient(exc)


def _transcript_problem(exc: Exception) -> str | None:
    """A clear sentence for the ways a transcript can be missing (None: not one of them)."""
    from youtube_transcript_api import (
        AgeRestricted,
        InvalidVideoId,
        NoTranscriptFound,
        RequestBlocked,
        TranscriptsDisabled,
        VideoUnavailable,
        VideoUnplayable,
    )

    if isinstance(exc, TranscriptsDisabled | NoTranscriptFound | StopIteration):
        return "That video has no transcript (its captions are off), so I can't summarize it."
    if isinstance(exc, VideoUnavailable | InvalidVideoId):
        return "I couldn't open that video. Is the link right?"
    if isinstance(exc, AgeRestricted | VideoUnplayable):
        return "YouTube won't let me read that video's transcript."
    if isinstance(exc, RequestBlocked):
        return "YouTube isn't letting me fetch transcripts right now. Mind trying again later?"
    return None


def _duration(seconds: float) -> str:
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _first_lines(lines: list[str]) -> str:
    out = ""
    for line in lines:
        candidate = f"{out} {line}".strip()
        if len(candidate) > FIRST_LINES_CHARS:
            break
        out = candidate
    return out or _clip(" ".join(lines), FIRST_LINES_CHARS)


async def _gemini_summary(text: str, deadline_seconds: float) -> str | None:
    """Gemini's summary through the app's LLM provider (its client, guard and breaker), or None
    when Gemini is not configured, failing, or out of time: the first lines stand in."""
    from personal_assistant.agent.llm.fallback import default_chain

    provider = default_chain().primary
    summarize = getattr(provider, "summarize", None)
    if summarize is None or deadline_seconds < 1:
        return None
    try:
        return await summarize(
            text[:SUMMARY_INPUT_CHARS],
            instruction=("Summarize this video transcript for a text message: the main point first, in plain "
                         "words, at most 140 characters. No emoji, no markdown."),
            deadline_seconds=deadline_seconds,
        )
    except Exception as exc:  # any Gemini failure: the transcript's opening still answers
        log.info("agent.youtube_summary_fallback", error_type=type(exc).__name__)
        return None


@registry.tool(
    "youtube_summary",
    "Summarize a YouTube video from its transcript (no account needed). Pass the video's link.",
    VideoQuery,
)
async def youtube_summary(ctx: ToolContext, args: VideoQuery) -> dict[str, Any]:
    vid = video_id(args.query)
    if vid is None:
        raise ToolFailed("Send me the YouTube link and I'll summarize the video.")
    settings = get_settings()
    loop = asyncio.get_running_loop()
    budget = _deadline(settings)
    ends = loop.time() + budget
    fetch_deadline = max(1.0, budget * 0.6)  # the rest is for the summary
    request_timeout = max(1.0, min(settings.provider_timeout_seconds, fetch_deadline / 2))
    try:
        fetched = await resilience.guarded_sync(
            "youtube", lambda: _fetch_transcript(settings, vid, request_timeout), user_id=ctx.user_id,
            attempts=2, transient=_youtube_transient, failure=_youtube_failure, timeout=fetch_deadline,
        )
    except ProviderUnavailable as exc:
        raise ToolFailed(_unavailable("YouTube", exc)) from exc
    except Exception as exc:
        problem = _transcript_problem(exc)
        if problem is None:
            raise
        log.info("agent.youtube_no_transcript", video_id=vid, error_type=type(exc).__name__)
        raise ToolFailed(problem) from exc

    lines = [" ".join(s.text.split()) for s in fetched.snippets if s.text and s.text.strip()]
    seconds = max((s.start + s.duration for s in fetched.snippets), default=0.0)
    if not lines:
        raise ToolFailed("That video's transcript is empty, so I can't summarize it.")
    summary = await _gemini_summary("\n".join(lines), ends - loop.time() - 0.5)
    return {
        "video_id": vid,
        "url": f"https://youtu.be/{vid}",
        "title": None,  # the transcript API has no title; YouTube Data search is a Google connector tool
        "summary": summary or _first_lines(lines),
        "summarized_by": "gemini" if summary else "transcript",
        "duration_seconds": int(round(seconds)),
        "duration": _duration(seconds),
        "language": fetched.language_code,
        "auto_captions": fetched.is_generated,
        "words": sum(len(line.split()) for line in lines),
    }
