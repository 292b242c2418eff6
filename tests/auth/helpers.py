"""Helpers for the auth and users tests: sign up and log in through the real API."""

from __future__ import annotations

import uuid

import pyotp

STRONG_PASSWORD = "violet-harbor-lantern-42"


def new_email(prefix: str = "sam") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.com"


async def signup(client, email: str | None = None, password: str = STRONG_PASSWORD, **extra) -> dict:
    email = email or new_email()
    response = await client.post("/api/v1/auth/signup", json={"email": email, "password": password, **extra})
    assert response.status_code == 201, response.text
    body = response.json()
    body["email"] = email
    body["headers"] = {"Authorization": f"Bearer {body['access_token']}"}
    return body


async def login(client, email: str, password: str = STRONG_PASSWORD):
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def code_for(secret: str, offset: int = 0) -> str:
    """The TOTP code an authenticator app would show now (offset in 30 s steps)."""
    totp = pyotp.TOTP(secret)
    import time

    return totp.at(time.time(), counter_offset=offset)


async def enable_mfa(client, headers: dict[str, str], password: str | None = None) -> str:
    """Set up and enable TOTP for the caller; returns the secret. Tokens without a recent login
    (the factories' tokens, API tokens) confirm with `password`."""
    setup = await client.post("/api/v1/auth/mfa/setup", headers=headers)
    assert setup.status_code == 200, setup.text
    secret = setup.json()["secret"]
    body = {"code": code_for(secret), **({"password": password} if password else {})}
    enabled = await client.post("/api/v1/auth/mfa/enable", json=body, headers=headers)
    assert enabled.status_code == 200, enabled.text
    return secret
