"""Operator actions on any account: the audited admin API and the `assistant users` CLI.

Each action writes an audit event naming the actor (an admin's user id, or "cli") and the target
id; never emails or names.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.auth import audit
from personal_assistant.auth.login import canonical_email, normalise_email, signup
from personal_assistant.auth.tokens import revoke_all_sessions
from personal_assistant.core import clock
from personal_assistant.core.errors import Conflict, NotFound, ValidationFailed
from personal_assistant.db.models import PhoneNumber, User
from personal_assistant.db.models.users import ROLES
from personal_assistant.users.account import hard_delete_user
from personal_assistant.users.phones import IN_USE, normalise_phone
from personal_assistant.users.repository import PhoneRepository, UserRepository, verified_owner_of


@dataclass(frozen=True)
class Actor:
    """Who performs an operator action: an admin (user_id) or the CLI (user_id None)."""

    user_id: uuid.UUID | None = None
    ip: str | None = None

    @property
    def label(self) -> str:
        return str(self.user_id) if self.user_id else "cli"


CLI = Actor()


async def _audit(session: AsyncSession, event: str, actor: Actor, target: uuid.UUID | None, **details) -> None:
    await audit.record(
        session,
        event,
        user_id=actor.user_id,
        ip=actor.ip,
        actor=actor.label,
        target_user_id=str(target) if target else None,
        **details,
    )


async def find_user(session: AsyncSession, email_or_id: str) -> User:
    """A user by id or email (NotFound otherwise)."""
    users = UserRepository(session)
    user = await users.find(email_or_id)
    if user is None and "@" in email_or_id:
        user = await users.by_email(canonical_email(email_or_id))
    if user is None:
        raise NotFound("user")
    return user


async def list_users(
    session: AsyncSession, *, limit: int = 50, offset: int = 0, query: str | None = None, actor: Actor = CLI
) -> tuple[list[User], int, set[uuid.UUID]]:
    """A page of users, the total, and which of them have MFA on."""
    users, total = await UserRepository(session).page(limit=limit, offset=offset, query=query)
    mfa_on = await UserRepository(session).mfa_enabled_ids([u.id for u in users])
    await _audit(session, "admin.users_listed", actor, None, limit=limit, offset=offset, searched=bool(query))
    return users, total, mfa_on


async def view_user(
    session: AsyncSession, user_id: uuid.UUID | str, *, actor: Actor = CLI
) -> tuple[User, list[PhoneNumber], bool]:
    """One user with their phones and MFA state (audited)."""
    user = await find_user(session, str(user_id))
    phones = await PhoneRepository(session, user.id).list(order_by=[PhoneNumber.created_at])
    mfa_on = bool(await UserRepository(session).mfa_enabled_ids([user.id]))
    await _audit(session, "admin.user_viewed", actor, user.id)
    return user, phones, mfa_on


async def set_active(session: AsyncSession, user_id: uuid.UUID | str, active: bool, *, actor: Actor = CLI) -> User:
    """Disable (logs out every session; API tokens stop working) or re-enable an account."""
    user = await find_user(session, str(user_id))
    if not active and actor.user_id == user.id:
        raise Conflict("you cannot disable your own account", code="cannot_disable_self")
    user.is_active = active
    revoked = 0 if active else await revoke_all_sessions(session, user.id)
    await _audit(
        session, "admin.user_enabled" if active else "admin.user_disabled", actor, user.id, revoked_sessions=revoked
    )
    return user


async def set_role(session: AsyncSession, user_id: uuid.UUID | str, role: str, *, actor: Actor = CLI) -> User:
    """Change a role (standard|premium|admin). New admins must enable MFA before admin routes work."""
    if role not in ROLES:
        raise ValidationFailed("unknown role", fields={"role": f"one of {', '.join(ROLES)}"})
    user = await find_user(session, str(user_id))
    before = user.role
    user.role = role
    await _audit(session, "admin.role_changed", actor, user.id, old_role=before, new_role=role)
    return user


async def delete_user(session: AsyncSession, user_id: uuid.UUID | str, *, actor: Actor = CLI) -> None:
    """Operator deletion: same hard delete as the user's own, without the password step."""
    user = await find_user(session, str(user_id))
    await hard_delete_user(session, user.id, ip=actor.ip, via=actor.label if actor.user_id else "cli")


async def create_user(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    name: str | None = None,
    timezone: str | None = None,
    role: str = "standard",
    phone: str | None = None,
    phone_verified: bool = False,
    actor: Actor = CLI,
) -> User:
    """Onboard a user fully from the shell: account, role and (optionally pre-verified) phone.

    Same rules as sign-up (email, password policy, time zone); a phone verified by someone else
    is a Conflict on `phone`."""
    normalise_email(email)
    e164 = normalise_phone(phone) if phone else None
    if e164 and phone_verified and await verified_owner_of(session, e164) is not None:
        raise Conflict(IN_USE, code="phone_in_use", fields={"phone": IN_USE})
    user = await signup(session, email, password, name=name, timezone=timezone, role=role)
    if e164:
        await PhoneRepository(session, user.id).add(
            PhoneNumber(e164=e164, is_primary=True, verified_at=clock.now() if phone_verified else None)
        )
    await _audit(session, "admin.user_created", actor, user.id, role=role, phone_verified=bool(e164 and phone_verified))
    return user
