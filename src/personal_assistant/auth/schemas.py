"""Request and response bodies of /api/v1/auth and /api/v1/api-tokens."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from personal_assistant.core.enums import Role


class SignupIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "email": "sam@example.com",
                    "password": "correct horse battery",
                    "name": "Sam",
                    "timezone": "America/New_York",
                }
            ]
        },
    )

    email: str = Field(max_length=320, examples=["sam@example.com"])
    password: str = Field(max_length=1024, description="12 to 128 characters, not a common password")
    name: str | None = Field(default=None, max_length=120)
    timezone: str | None = Field(default=None, description="IANA zone, e.g. America/New_York", examples=["UTC"])


class LoginIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"email": "sam@example.com", "password": "correct horse battery"}]},
    )

    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)


class RefreshIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"refresh_token": "rt_3f9c..."}]},
    )

    refresh_token: str = Field(max_length=256)


class MagicLinkIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"email": "sam@example.com"}]},
    )

    email: str = Field(max_length=320)


class MfaVerifyIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"mfa_token": "eyJhbGciOi...", "code": "123456"}]},
    )

    mfa_token: str = Field(max_length=2048)
    code: str = Field(max_length=32, description="6-digit code from the authenticator app, or a recovery code")


class MfaCodeIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"code": "123456"}]},
    )

    code: str = Field(max_length=16, description="a code from the authenticator app")
    password: str | None = Field(
        default=None, max_length=1024, description="required unless you logged in within the last 10 minutes"
    )


class MfaDisableIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"password": "correct horse battery"}]},
    )

    code: str | None = Field(default=None, max_length=32, description="a current code or a recovery code")
    password: str | None = Field(default=None, max_length=1024)


class TokenPairOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int


class LoginTokensOut(TokenPairOut):
    """Logged in: the token pair."""

    mfa_required: Literal[False]


class MfaChallengeOut(BaseModel):
    """A second factor is needed: send `mfa_token` with a code to POST /api/v1/auth/mfa/verify."""

    mfa_required: Literal[True]
    mfa_token: str


# Either tokens or the MFA step: a oneOf in the OpenAPI document, told apart by `mfa_required`.
LoginOut = Annotated[LoginTokensOut | MfaChallengeOut, Field(discriminator="mfa_required")]


class UserBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    name: str | None
    role: Role
    timezone: str


class SignupOut(TokenPairOut):
    user: UserBrief


class AcceptedOut(BaseModel):
    detail: str


class MfaSetupOut(BaseModel):
    secret: str = Field(description="base32 key, for typing into the app by hand")
    otpauth_uri: str = Field(description="what the QR code holds")
    qr_svg: str = Field(description="the otpauth URI as an SVG QR code, drawn by the server")


class MfaStatusOut(BaseModel):
    mfa_enabled: bool


class MfaEnabledOut(MfaStatusOut):
    recovery_codes: list[str] = Field(
        description="ten one-time codes for logging in without the app; shown this once, store them now"
    )


class MfaConfirmIn(BaseModel):
    """A current code (TOTP or recovery code) or the password."""
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"code": "123456"}]},
    )


    code: str | None = Field(default=None, max_length=32)
    password: str | None = Field(default=None, max_length=1024)


class RecoveryCodesOut(BaseModel):
    recovery_codes: list[str] = Field(description="ten new one-time codes; the old ones stopped working")


class PasswordChangeIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"current_password": "correct horse battery", "new_password": "a longer new passphrase"}]
        },
    )

    current_password: str | None = Field(
        default=None, max_length=1024, description="required unless the account has no password yet"
    )
    new_password: str = Field(max_length=1024, description="12 to 128 characters, not a common password")


class ApiTokenIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name": "home automation", "expires_in_days": 90}]}
    )

    name: str = Field(max_length=100, examples=["home automation"])
    expires_in_days: int | None = Field(default=None, description="omit for a token that does not expire")


class ApiTokenOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None


class ApiTokenCreatedOut(ApiTokenOut):
    token: str = Field(description="the token itself: shown this once, store it now")
