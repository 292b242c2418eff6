"""Every query of the SMS channel.

User data (messages, usage) goes through scoped repositories. The channel also needs a few lookups
that happen before any user is known (who owns this number, which phone is this, was this
MessageSid seen, is this phone opted out); they live here as plain functions and return only what
routing needs.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, case, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from personal_assistant.core import clock
from personal_assistant.db.models import (
    Message,
    PhoneNumber,
    SmsNumber,
    SmsUsage,
    SmsWebhookReceipt,
    UnknownSenderReply,
    User,
)
from personal_assistant.db.repository import ScopedRepository


def rowcount(result: Any) -> int:
    """Rows touched by an UPDATE (execute() of DML returns a CursorResult)."""
    return cast(CursorResult, result).rowcount or 0


class MessageRepository(ScopedRepository[Message]):
    model = Message
    label = "message"

    async def by_idempotency_key(self, key: str) -> Message | None:
        result = await self.session.execute(self.select(Message.idempotency_key == key))
        return cast(Message | None, result.scalars().first())

    async def latest(
        self,
        limit: int,
        *,
        exclude_kinds: tuple[str, ...] = (),
    ) -> list[Message]:
        """The newest `limit` messages, newest first."""
        stmt = self.select()
        if exclude_kinds:
            stmt = stmt.where(Message.kind.not_in(exclude_kinds))
        stmt = stmt.order_by(Message.created_at.desc(), Message.id.desc()).limit(limit)
        return cast(list[Message], list((await self.session.execute(stmt)).scalars()))

    async def page(self, limit: int, offset: int) -> tuple[list[Message], int]:
        """One page counted from the newest message, returned oldest first (a chat reads down)."""
        total = await self.count()
        stmt = self.select().order_by(Message.created_at.desc(), Message.id.desc()).offset(offset).limit(limit)
        rows = cast(list[Message], list((await self.session.execute(stmt)).scalars()))
        rows.reverse()
        return rows, total

    async def next_waiting(self, now: datetime) -> Message | None:
        """The oldest inbound text still waiting for its turn (not deferred past `now`)."""
        stmt = (
            self.select(
                Message.direction == "inbound",
                Message.status == "received",
                or_(Message.next_attempt_at.is_(None), Message.next_attempt_at <= now),
            )
            .order_by(Message.created_at, Message.id)
            .limit(1)
        )
        return cast(Message | None, (await self.session.execute(stmt)).scalars().first())

    async def settle_inbound(self, message_id: uuid.UUID, status: str) -> bool:
        """received -> answered|no_reply|expired; False if another run settled it first."""
        result = await self.session.execute(
            update(Message)
            .where(Message.id == message_id, Message.user_id == self.user_id, Message.status == "received")
            .values(status=status)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1


class UsageRepository(ScopedRepository[SmsUsage]):
    model = SmsUsage
    label = "sms usage"


# --- numbers and usage (operator views across users) ---------------------------------------------


async def numbers_with_owners(session: AsyncSession) -> list[tuple[SmsNumber, str | None]]:
    result = await session.execute(
        select(SmsNumber, User.email).outerjoin(User, User.id == SmsNumber.user_id).order_by(SmsNumber.e164)
    )
    return [(number, email) for number, email in result.all()]


async def number_of_user(session: AsyncSession, user_id: uuid.UUID) -> SmsNumber | None:
    return (await session.execute(select(SmsNumber).where(SmsNumber.user_id == user_id))).scalar_one_or_none()


async def usage_by_user_and_day(session: AsyncSession, since: datetime) -> list[tuple]:
    """(day, user_id, email, outbound, inbound, segments, cost) per user and UTC day since `since`."""
    if session.get_bind().dialect.name == "postgresql":
        day = func.to_char(func.timezone("UTC", SmsUsage.created_at), "YYYY-MM-DD")
    else:
        day = func.strftime("%Y-%m-%d", SmsUsage.created_at)
    stmt = (
        select(
            day.label("day"),
            SmsUsage.user_id,
            User.email,
            func.sum(case((SmsUsage.direction == "outbound", 1), else_=0)),
            func.sum(case((SmsUsage.direction == "inbound", 1), else_=0)),
            func.sum(SmsUsage.segments),
            func.sum(SmsUsage.price_estimate),
        )
        .join(User, User.id == SmsUsage.user_id)
        .where(SmsUsage.created_at >= since)
        .group_by(day, SmsUsage.user_id, User.email)
        .order_by(day.desc(), User.email)
    )
    return [tuple(row) for row in (await session.execute(stmt)).all()]


# --- idempotency -------------------------------------------------------------------------------


async def claim_receipt(session: AsyncSession, message_sid: str) -> bool:
    """Insert the receipt for `message_sid`; False when it already exists.

    The primary key decides, not a prior SELECT: two concurrent deliveries of one MessageSid both
    try the INSERT and exactly one row is inserted (on PostgreSQL the second waits for the first
    transaction, then inserts nothing). ON CONFLICT DO NOTHING is one round trip on both backends.
    """
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = (
            insert(SmsWebhookReceipt)
            .values(message_sid=message_sid, received_at=clock.now(), outcome="received")
            .on_conflict_do_nothing(index_elements=["message_sid"])
        )
        return rowcount(await session.execute(stmt)) == 1
    try:  # any other backend: a savepoint around a plain INSERT
        async with session.begin_nested():
            session.add(SmsWebhookReceipt(message_sid=message_sid))
            await session.flush()
    except IntegrityError:
        return False
    return True


async def set_receipt_outcome(session: AsyncSession, message_sid: str, outcome: str) -> None:
    await session.execute(
        update(SmsWebhookReceipt).where(SmsWebhookReceipt.message_sid == message_sid).values(outcome=outcome[:16])
    )


# --- routing -----------------------------------------------------------------------------------


async def sms_number(session: AsyncSession, e164: str) -> SmsNumber | None:
    return (await session.execute(select(SmsNumber).where(SmsNumber.e164 == e164))).scalar_one_or_none()


async def dedicated_number_of(session: AsyncSession, user_id: uuid.UUID) -> str | None:
    result = await session.execute(select(SmsNumber.e164).where(SmsNumber.user_id == user_id))
    return result.scalar_one_or_none()


async def verified_owner(session: AsyncSession, e164: str) -> User | None:
    """The user whose verified phone is `e164` (at most one: a partial unique index)."""
    result = await session.execute(
        select(User)
        .join(PhoneNumber, PhoneNumber.user_id == User.id)
        .where(PhoneNumber.e164 == e164, PhoneNumber.verified_at.is_not(None))
        .limit(1)
    )
    return result.scalar_one_or_none()


# --- opt-out -----------------------------------------------------------------------------------


async def is_opted_out(session: AsyncSession, e164: str) -> bool:
    """Opt-out belongs to the handset, so any phone row of that number counts."""
    result = await session.execute(
        select(func.count())
        .select_from(PhoneNumber)
        .where(PhoneNumber.e164 == e164, PhoneNumber.opted_out_at.is_not(None))
    )
    return int(result.scalar_one()) > 0


async def set_opted_out(session: AsyncSession, e164: str, at: datetime | None) -> int:
    """Opt every phone row of `e164` out (at=time) or back in (at=None); the number of rows."""
    result = await session.execute(update(PhoneNumber).where(PhoneNumber.e164 == e164).values(opted_out_at=at))
    return rowcount(result)


# --- unknown senders ---------------------------------------------------------------------------

# An unknown sender who texted STOP: their throttle row is pushed this far ahead, so the
# onboarding text never goes out again (START resets it).
UNKNOWN_OPT_OUT_UNTIL = timedelta(days=365 * 100)


async def claim_unknown_sender_reply(
    session: AsyncSession, sender_hash: str, now: datetime, every: timedelta
) -> bool:
    """True when this sender may get the onboarding text now (at most once per `every`)."""
    try:
        async with session.begin_nested():
            session.add(UnknownSenderReply(sender_hash=sender_hash, last_sent_at=now))
            await session.flush()
        return True
    except IntegrityError:
        pass
    # Conditional update: of two concurrent texts only one moves the timestamp.
    result = await session.execute(
        update(UnknownSenderReply)
        .where(UnknownSenderReply.sender_hash == sender_hash, UnknownSenderReply.last_sent_at <= now - every)
        .values(last_sent_at=now)
    )
    return rowcount(result) == 1


async def set_unknown_sender_suppressed(session: AsyncSession, sender_hash: str, until: datetime) -> None:
    row = await session.get(UnknownSenderReply, sender_hash)
    if row is None:
        session.add(UnknownSenderReply(sender_hash=sender_hash, last_sent_at=until))
    else:
        row.last_sent_at = until
    await session.flush()


async def unknown_sender_suppressed(session: AsyncSession, sender_hash: str, now: datetime) -> bool:
    row = await session.get(UnknownSenderReply, sender_hash)
    return row is not None and row.last_sent_at > now + timedelta(days=1)


# --- delivery status ---------------------------------------------------------------------------


async def advance_status(
    session: AsyncSession,
    provider_sid: str,
    new_status: str,
    allowed_from: tuple[str, ...],
    *,
    error_code: str | None,
    now: datetime,
) -> int:
    """Move a message's status only if its current status is one of `allowed_from` (atomic)."""
    values: dict = {"status": new_status, "status_updated_at": now}
    if error_code is not None:
        values["error_code"] = error_code[:16]
    result = await session.execute(
        update(Message)
        .where(Message.provider_sid == provider_sid, Message.status.in_(allowed_from))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result)


async def message_status_by_sid(session: AsyncSession, provider_sid: str) -> tuple[uuid.UUID, str] | None:
    row = (
        await session.execute(select(Message.id, Message.status).where(Message.provider_sid == provider_sid))
    ).first()
    return None if row is None else (row[0], row[1])



# --- the outbox and the pipeline's sweep (worker queries across users, by design) -----------


class OutboxRepository:
    """Unscoped on purpose: dispatchers and the sweep work on any user's queued texts by id.
    Every method touches outbound rows only and returns them to the outbox module, never to
    a user-facing path."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_once(self, message: Message) -> bool:
        """Insert a new outbound row unless its idempotency key exists (one round trip, no
        savepoint: the unique key decides, even between racing senders). True when inserted;
        the object is then part of the session as if it had been added."""
        if not message.idempotency_key:
            self.session.add(message)
            await self.session.flush()
            return True
        for column in Message.__table__.columns:  # every attribute loaded: the object is complete
            if column.key not in message.__dict__:
                default = column.default
                setattr(message, column.key, default.arg if default is not None and default.is_scalar else None)
        values = {c.key: getattr(message, c.key) for c in Message.__table__.columns}
        dialect = self.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = insert(Message).values(**values).on_conflict_do_nothing(index_elements=["idempotency_key"])
        if rowcount(await self.session.execute(stmt)) != 1:
            return False
        make_transient_to_detached(message)
        self.session.add(message)
        return True

    async def claim(self, message_id: uuid.UUID, now: datetime, lease_until: datetime) -> Message | None:
        """pending -> dispatching (attempts + 1) if it is due; one claimer wins."""
        result = await self.session.execute(
            update(Message)
            .where(
                Message.id == message_id,
                Message.direction == "outbound",
                Message.status == "pending",
                or_(Message.next_attempt_at.is_(None), Message.next_attempt_at <= now),
            )
            .values(status="dispatching", claimed_until=lease_until, attempts=Message.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            return None
        return await self.session.get(Message, message_id, populate_existing=True)

    async def extend_lease(self, message_id: uuid.UUID, until: datetime) -> None:
        await self.session.execute(
            update(Message)
            .where(Message.id == message_id, Message.status == "dispatching")
            .values(claimed_until=until)
            .execution_options(synchronize_session=False)
        )

    async def held(self, message_id: uuid.UUID) -> Message | None:
        """The row, locked, if it is still dispatching (our lease)."""
        stmt = select(Message).where(Message.id == message_id, Message.status == "dispatching").with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def unsettled(self, message_id: uuid.UUID) -> Message | None:
        """The row, locked, while its send's outcome is not recorded (dispatching or uncertain)."""
        stmt = (
            select(Message)
            .where(Message.id == message_id, Message.status.in_(("dispatching", "uncertain")))
            .with_for_update()
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def uncertain(self, message_id: uuid.UUID) -> Message | None:
        stmt = select(Message).where(Message.id == message_id, Message.status == "uncertain").with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def due_pending(self, now: datetime, lost_after: datetime, limit: int) -> list[uuid.UUID]:
        """Pending texts whose retry time has come, or whose dispatch job never ran."""
        stmt = (
            select(Message.id)
            .where(
                Message.direction == "outbound",
                Message.status == "pending",
                or_(
                    Message.next_attempt_at <= now,
                    Message.next_attempt_at.is_(None) & (Message.created_at < lost_after),
                ),
            )
            .order_by(Message.created_at)
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def expire_leases(self, now: datetime) -> list[uuid.UUID]:
        """dispatching rows whose lease ran out (the dispatcher died mid-send) -> uncertain."""
        stmt = (
            update(Message)
            .where(Message.direction == "outbound", Message.status == "dispatching", Message.claimed_until < now)
            .values(status="uncertain", claimed_until=None, error_code="lease_expired")
            .returning(Message.id)
            .execution_options(synchronize_session=False)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def uncertain_ids(self, limit: int) -> list[uuid.UUID]:
        stmt = (
            select(Message.id)
            .where(Message.direction == "outbound", Message.status == "uncertain")
            .order_by(Message.created_at)
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def backlog(self) -> dict[str, int]:
        stmt = (
            select(Message.status, func.count())
            .where(Message.direction == "outbound", Message.status.in_(("pending", "dispatching", "uncertain")))
            .group_by(Message.status)
        )
        return {status: int(n) for status, n in (await self.session.execute(stmt)).all()}


class PendingTurnRepository:
    """Unscoped on purpose: the sweep finds every user's unanswered inbound texts."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def users_waiting(self, now: datetime, stale_before: datetime, limit: int) -> list[uuid.UUID]:
        """Users with an inbound text still waiting for its turn: received before `stale_before`
        (its job was lost or its worker died), or deferred until a time that has come."""
        stmt = (
            select(Message.user_id)
            .where(
                Message.direction == "inbound",
                Message.status == "received",
                or_(
                    Message.next_attempt_at <= now,
                    Message.next_attempt_at.is_(None) & (Message.created_at < stale_before),
                ),
            )
            .group_by(Message.user_id)
            .order_by(func.min(Message.created_at))
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def expire_older_than(self, cutoff: datetime) -> int:
        result = await self.session.execute(
            update(Message)
            .where(Message.direction == "inbound", Message.status == "received", Message.created_at < cutoff)
            .values(status="expired")
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)
