"""Memory upkeep, per user (the memory.upkeep job; Celery beat or the embedded scheduler):

- merge near-duplicates (the same words, or word sets overlapping >= MERGE_OVERLAP): the kept one
  takes the higher importance, both tags, the use counts and the later last use;
- lower the weight of old, unused, unimportant items (importance <= 2, idle >= DECAY_AFTER_DAYS):
  weight halves every DECAY_HALF_LIFE_DAYS of idleness, never below MIN_WEIGHT (ranking
  multiplies by it, so they sink but can still be found);
- expire: items past their own expires_at, and, when the user has a retention (users.
  memory_retention_days, else MEMORY_RETENTION_DAYS), items idle longer than it, except those of
  importance >= 4 (kept by default).

Pinned memories are never merged, reweighted or expired. Idle = since the last use, or since
creation if never used. All times from core.clock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.config import get_settings
from personal_assistant.core import clock
from personal_assistant.db.models.memory import Memory
from personal_assistant.db.models.users import User
from personal_assistant.memory.repository import MemoryRepository
from personal_assistant.planning.common import words

MERGE_OVERLAP = 0.9
MERGE_SCAN_MAX = 2000  # word-set comparison is pairwise: above this only exact duplicates merge
DECAY_AFTER_DAYS = 60.0
DECAY_HALF_LIFE_DAYS = 180.0
MIN_WEIGHT = 0.25
KEEP_IMPORTANCE = 4


@dataclass
class Counts:
    merged: int = 0
    decayed: int = 0
    expired: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"merged": self.merged, "decayed": self.decayed, "expired": self.expired}


def _idle_days(memory: Memory, now: datetime) -> float:
    last = clock.as_utc(memory.last_used_at or memory.created_at)
    return max(0.0, (now - last).total_seconds() / 86400)


def _word_set(content: str) -> frozenset[str]:
    from personal_assistant.memory.expand import stem

    return frozenset(stem(w) for w in words(content))


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _absorb(keep: Memory, gone: Memory) -> None:
    keep.importance = max(keep.importance, gone.importance)
    keep.tags = list(dict.fromkeys([*keep.tags, *gone.tags]))[:20]
    keep.use_count = (keep.use_count or 0) + (gone.use_count or 0)
    uses = [clock.as_utc(t) for t in (keep.last_used_at, gone.last_used_at) if t is not None]
    keep.last_used_at = max(uses) if uses else None


async def upkeep_user(session: AsyncSession, user: User, now: datetime | None = None) -> Counts:
    now = now or clock.now()
    counts = Counts()
    repo = MemoryRepository(session, user.id)
    live = [m for m in await repo.list(order_by=[Memory.created_at]) if not m.pinned]
    # Expiry first: nothing is merged into an item about to go.
    retention = user.memory_retention_days or get_settings().memory_retention_days
    kept: list[Memory] = []
    for memory in live:
        past_own = memory.expires_at is not None and clock.as_utc(memory.expires_at) <= now
        past_retention = (
            retention is not None and memory.importance < KEEP_IMPORTANCE and _idle_days(memory, now) > retention
        )
        if past_own or past_retention:
            await repo.delete(memory)
            counts.expired += 1
        else:
            kept.append(memory)
    # Near-duplicates: the more important (then more used, then newer) one is kept.
    order = sorted(kept, key=lambda m: (-m.importance, -(m.use_count or 0), -clock.as_utc(m.created_at).timestamp()))
    sets = {m.id: _word_set(m.content) for m in order}
    survivors: list[Memory] = []
    gone: set[uuid.UUID] = set()
    for memory in order:
        match = None
        for other in survivors:
            same = sets[memory.id] == sets[other.id]
            if same or (len(order) <= MERGE_SCAN_MAX and _overlap(sets[memory.id], sets[other.id]) >= MERGE_OVERLAP):
                match = other
                break
        if match is None:
            survivors.append(memory)
            continue
        _absorb(match, memory)
        gone.add(memory.id)
        await repo.delete(memory)
        counts.merged += 1
    # Weight: old, unused, unimportant items sink.
    for memory in survivors:
        idle = _idle_days(memory, now)
        weight = 1.0
        if memory.importance <= 2 and idle >= DECAY_AFTER_DAYS:
            weight = max(MIN_WEIGHT, 0.5 ** ((idle - DECAY_AFTER_DAYS) / DECAY_HALF_LIFE_DAYS + 1))
        weight = round(weight, 4)
        if abs((memory.weight or 1.0) - weight) > 1e-6:
            memory.weight = weight
            counts.decayed += weight < 1.0
    await session.flush()
    return counts


async def run_all(batch: int = 200) -> dict[str, int]:
    """Every user with memories, one transaction each (no network calls here)."""
    from personal_assistant.db.session import session_scope

    total = Counts()
    async with session_scope() as session:
        user_ids = list((await session.execute(select(Memory.user_id).group_by(Memory.user_id))).scalars())
    for start in range(0, len(user_ids), batch):
        for user_id in user_ids[start : start + batch]:
            async with session_scope() as session:
                user = await session.get(User, user_id)
                if user is None:
                    continue
                counts = await upkeep_user(session, user)
            total.merged += counts.merged
            total.decayed += counts.decayed
            total.expired += counts.expired
    return total.as_dict()
