"""Helpers every planning module (and memory) shares: the user row, times in the user's zone,
the "last list shown" for SMS references ("done 2"), and fuzzy word matching."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from difflib import SequenceMatcher
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.agent.repository import ConversationStateRepository
from personal_assistant.core import clock
from personal_assistant.core.errors import Conflict, ValidationFailed
from personal_assistant.db.models.users import User
from personal_assistant.users.repository import UserRepository

T = TypeVar("T")
UserRef = User | uuid.UUID


async def load_user(session: AsyncSession, user: UserRef) -> User:
    """The User row for a User or a user id (services accept either)."""
    if isinstance(user, User):
        return user
    return await UserRepository(session).get(user)


def user_id_of(user: UserRef) -> uuid.UUID:
    return user.id if isinstance(user, User) else user


# --- times -----------------------------------------------------------------------------------
def parse_when(value: str | datetime, tz_name: str, *, field: str = "due_at") -> datetime:
    """ISO 8601 text (or a datetime) -> aware UTC. Without an offset it is the user's local time
    (a date alone means the start of that local day)."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = (value or "").strip()
        if not text:
            raise ValidationFailed(f"{field} is required", fields={field: "required"})
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError as exc:
            raise ValidationFailed(f"{field} is not an ISO 8601 time", fields={field: "not an ISO 8601 time"}) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(tz_name), fold=0)
    return moment.astimezone(UTC)


def is_date_only(value: str | None) -> bool:
    return bool(value) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()) is not None  # type: ignore[union-attr]


def parse_day(value: str | date, *, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except (ValueError, AttributeError) as exc:
        raise ValidationFailed(f"{field} is not an ISO date", fields={field: "not an ISO date (YYYY-MM-DD)"}) from exc


def local_iso(moment: datetime | None, tz_name: str) -> str | None:
    """Aware instant -> ISO 8601 in the user's zone, with the offset."""
    if moment is None:
        return None
    return clock.as_utc(moment).astimezone(ZoneInfo(tz_name)).isoformat()


def utc_iso(moment: datetime | None) -> str | None:
    return None if moment is None else clock.as_utc(moment).isoformat()


# --- last list shown (SMS references) --------------------------------------------------------
# The conversation state (one row per user) belongs to the agent; its repository is the one
# accessor.
async def remember_list(session: AsyncSession, user_id: uuid.UUID, kind: str, ids: Sequence[uuid.UUID]) -> None:
    """Store the list the user is being shown so "done 2" can mean its 2nd item."""
    state = await ConversationStateRepository(session, user_id).get_or_create()
    state.last_list = {"kind": kind, "ids": [str(i) for i in ids]}
    await session.flush()


async def id_from_last_list(session: AsyncSession, user_id: uuid.UUID, kind: str, number: int) -> uuid.UUID | None:
    """The id at 1-based position `number` of the last `kind` list shown, if any."""
    state = await ConversationStateRepository(session, user_id).current()
    if state is None or not state.last_list or state.last_list.get("kind") != kind:
        return None
    ids = state.last_list.get("ids") or []
    if not 1 <= number <= len(ids):
        return None
    return uuid.UUID(ids[number - 1])


# --- fuzzy words -----------------------------------------------------------------------------
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "my",
        "our",
        "your",
        "his",
        "her",
        "their",
        "its",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "i",
        "me",
        "we",
        "you",
        "it",
        "this",
        "that",
        "these",
        "those",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "and",
        "or",
        "but",
        "do",
        "does",
        "did",
        "what",
        "whats",
        "what's",
        "which",
        "who",
        "whom",
        "where",
        "when",
        "why",
        "how",
        "please",
        "can",
        "could",
        "would",
        "will",
        "shall",
        "should",
        "tell",
        "remind",
        "about",
        "again",
        "got",
        "get",
        "bought",
        "picked",
        "up",
        "some",
        "any",
        "all",
        "done",
        "finished",
        "off",
        "just",
        "have",
        "has",
        "had",
        "there",
        "here",
    ]
)
_WORD = re.compile(r"[^\W_]+")  # letters and digits in any script (safe in FTS queries)


def words(text: str, *, drop_stopwords: bool = True) -> list[str]:
    found = _WORD.findall((text or "").lower().replace("'", ""))
    kept = [w for w in found if not (drop_stopwords and w in STOPWORDS)]
    return kept if kept or not drop_stopwords else found


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def similarity(query: str, candidate: str) -> float:
    """0..1: how well the words of `query` name `candidate` (token overlap, singular/plural
    and small typos tolerated)."""
    q = [_singular(w) for w in words(query)]
    c = [_singular(w) for w in words(candidate)]
    if not q or not c:
        return 0.0
    if q == c:
        return 1.0
    per_word = []
    for qw in q:
        per_word.append(max(SequenceMatcher(None, qw, cw).ratio() for cw in c))
    coverage = sum(per_word) / len(per_word)
    whole = SequenceMatcher(None, " ".join(q), " ".join(c)).ratio()
    return max(coverage * 0.9 + whole * 0.1, whole)


class Ambiguous(Conflict):
    """A reference matched several items equally well; `candidates` lets the caller ask which."""

    code = "ambiguous"

    def __init__(self, what: str, candidates: Sequence[object]) -> None:
        super().__init__(f"several {what}s match; which one?")
        self.candidates = list(candidates)


def best_matches(query: str, items: Iterable[T], key: Callable[[T], str], *, threshold: float = 0.75) -> list[T]:
    """Items whose text matches `query` well enough, best first; ties at the top are all kept
    so the caller can ask which one was meant."""
    scored = sorted(((similarity(query, key(item)), item) for item in items), key=lambda p: -p[0])
    scored = [(s, item) for s, item in scored if s >= threshold]
    if not scored:
        return []
    top = scored[0][0]
    return [item for s, item in scored if s >= top - 0.02]
