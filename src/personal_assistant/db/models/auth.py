"""Credentials: refresh tokens, API tokens, magic links, browser sessions, TOTP MFA and its
recovery codes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column

from personal_assistant.core import clock
from personal_assistant.db.base import Base, IdMixin, UserOwned


class RefreshToken(IdMixin, UserOwned, Base):
    """One rotation of a refresh-token family. Reusing a rotated token revokes the family."""

    __tablename__ = "refresh_tokens"

    family_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    rotated_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    user_agent: Mapped[str | None] = mapped_column(String(255))
    # The login that started the family passed the second factor (TOTP or a recovery code);
    # refreshes inherit it, and admin routes need it.
    mfa: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class ApiToken(IdMixin, UserOwned, Base):
    __tablename__ = "api_tokens"

    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    # Minted by a login that passed the second factor (admin routes need it).
    mfa: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class MagicLink(IdMixin, UserOwned, Base):
    __tablename__ = "magic_links"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class MfaSecret(IdMixin, UserOwned, Base):
    """TOTP secret (encrypted). MFA is on when enabled_at is set."""

    __tablename__ = "mfa_secrets"

    secret_encrypted: Mapped[str] = mapped_column(String(255))
    enabled_at: Mapped[datetime | None]
    last_used_step: Mapped[int | None] = mapped_column(Integer)  # refuses replay of a used code
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class BrowserSession(IdMixin, UserOwned, Base):
    """A signed-in browser. The cookie carries a random secret whose keyed hash is stored here,
    so logging out (here or everywhere) ends the session on the server, not only in the browser."""

    __tablename__ = "browser_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    mfa: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    user_agent: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_seen_at: Mapped[datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class MfaRecoveryCode(IdMixin, UserOwned, Base):
    """One of the ten one-time codes shown when two-step login is turned on (stored hashed)."""

    __tablename__ = "mfa_recovery_codes"

    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
