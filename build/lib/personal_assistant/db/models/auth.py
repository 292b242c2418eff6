"""Credentials: refresh tokens, API tokens, magic links, TOTP MFA."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, String, Uuid
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
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class ApiToken(IdMixin, UserOwned, Base):
    __tablename__ = "api_tokens"

    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
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
