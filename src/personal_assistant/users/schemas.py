"""Request and response bodies of /api/v1/me and /api/v1/admin."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from personal_assistant.core.enums import Role
from personal_assistant.db.models import PhoneNumber, User
from personal_assistant.users.profile import format_hhmm


class PhoneOut(BaseModel):
    id: uuid.UUID
    e164: str
    verified: bool
    is_primary: bool
    verified_at: datetime | None

    @classmethod
    def of(cls, phone: PhoneNumber) -> PhoneOut:
        return cls(
            id=phone.id,
            e164=phone.e164,
            verified=phone.verified_at is not None,
            is_primary=phone.is_primary,
            verified_at=phone.verified_at,
        )


class MeOut(BaseModel):
    id: uuid.UUID
    email: str
    name: str | None
    role: Role
    timezone: str
    currency: str
    quiet_hours_start: str | None = Field(description="HH:MM in the user's time zone")
    quiet_hours_end: str | None
    checkins_enabled: bool
    morning_checkin_time: str | None
    evening_checkin_time: str | None
    escalation_minutes: int
    escalation_max: int
    catchup_minutes: int
    day_parts: dict[str, str] | None = Field(
        default=None, description="the user's own times for morning/afternoon/evening/night (HH:MM)"
    )
    mfa_enabled: bool
    phones: list[PhoneOut]
    created_at: datetime

    @classmethod
    def of(cls, user: User, phones: list[PhoneNumber], mfa_enabled: bool) -> MeOut:
        return cls(
            id=user.id,
            email=user.email,
            name=user.name,
            role=Role(user.role),
            timezone=user.timezone,
            currency=user.currency,
            quiet_hours_start=format_hhmm(user.quiet_hours_start),
            quiet_hours_end=format_hhmm(user.quiet_hours_end),
            checkins_enabled=user.checkins_enabled,
            morning_checkin_time=format_hhmm(user.morning_checkin_time),
            evening_checkin_time=format_hhmm(user.evening_checkin_time),
            escalation_minutes=user.escalation_minutes,
            escalation_max=user.escalation_max,
            catchup_minutes=user.catchup_minutes,
            day_parts=user.day_parts or None,
            mfa_enabled=mfa_enabled,
            phones=[PhoneOut.of(p) for p in phones],
            created_at=user.created_at,
        )


class MeUpdate(BaseModel):
    """Partial update: send only what changes. email and role are read-only (422 if sent).
    Types are checked here; the rules (IANA zone, HH:MM, ranges) in the service."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "timezone": "Europe/Berlin",
                    "quiet_hours_start": "22:00",
                    "quiet_hours_end": "07:30",
                }
            ]
        },
    )

    name: str | None = Field(default=None, max_length=120)
    timezone: str | None = Field(default=None, examples=["America/New_York"])
    quiet_hours_start: str | None = Field(default=None, examples=["22:00"])
    quiet_hours_end: str | None = Field(default=None, examples=["07:00"])
    checkins_enabled: bool | None = None
    morning_checkin_time: str | None = Field(default=None, examples=["08:30"])
    evening_checkin_time: str | None = Field(default=None, examples=["20:30"])
    escalation_minutes: int | None = None
    escalation_max: int | None = None
    catchup_minutes: int | None = None
    currency: str | None = Field(default=None, examples=["USD"])
    day_parts: dict[str, str] | None = Field(default=None, examples=[{"morning": "07:00", "evening": "19:00"}])

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class PhoneIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"phone": "+14155550123"}]},
    )

    phone: str = Field(max_length=40, examples=["+15551234567"])


class PhoneVerifyIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"phone": "+14155550123", "code": "123456"}]},
    )

    phone: str = Field(max_length=40)
    code: str = Field(max_length=12, examples=["123456"])


class ExportOut(BaseModel):
    """GET /api/v1/me/export: the account row and every row of every table that is yours."""

    format_version: int
    exported_at: datetime
    user: dict[str, Any] = Field(description="your account row (secret columns left out)")
    tables: dict[str, list[dict[str, Any]]] = Field(description="table name -> its rows that are yours")


class PhoneStartStatus(StrEnum):
    code_sent = "code_sent"
    already_verified = "already_verified"


class PhoneStartedOut(BaseModel):
    phone: str
    status: PhoneStartStatus
    expires_at: datetime | None


class DeleteMeIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"password": "correct horse battery"}]},
    )

    password: str | None = Field(default=None, max_length=1024, description="required when the account has a password")


class AdminUserOut(BaseModel):
    id: uuid.UUID
    email: str
    name: str | None
    role: Role
    is_active: bool
    timezone: str
    mfa_enabled: bool
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def of(cls, user: User, mfa_enabled: bool) -> AdminUserOut:
        return cls(
            id=user.id,
            email=user.email,
            name=user.name,
            role=Role(user.role),
            is_active=user.is_active,
            timezone=user.timezone,
            mfa_enabled=mfa_enabled,
            created_at=user.created_at,
            last_login_at=user.last_login_at,
        )


class AdminUserDetailOut(AdminUserOut):
    phones: list[PhoneOut]
