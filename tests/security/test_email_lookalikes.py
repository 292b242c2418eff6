"""Finding 3: the per-account limits count every spelling of one address. A look-alike (a
fullwidth letter, other letter case, a compatibility ligature) is the same account for the
login and magic-link limits, and for the lookup behind them."""

from __future__ import annotations

import httpx
import pytest

from personal_assistant.core.email import OUTBOX
from tests.auth.helpers import login
from tests.fixtures.factories import TEST_PASSWORD

# "ｅ" is U+FF45 FULLWIDTH LATIN SMALL LETTER E; "ﬁ" is U+FB01 LATIN SMALL LIGATURE FI.
ADDRESS = "sam.fisher@example.com"
LOOKALIKES = ["sam.fisher@ｅxample.com", "SAM.FISHER@EXAMPLE.COM", "sam.ﬁsher@example.com", "ｓam.fisher@example.com"]


def _client_from(app, n: int) -> httpx.AsyncClient:
    """A client with its own source address, so only the per-account limit can stop it."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(f"198.51.100.{n}", 40000))
    return httpx.AsyncClient(transport=transport, base_url="https://assistant.test")


async def _login_from(app, n: int, email: str, password: str) -> httpx.Response:
    async with _client_from(app, n) as c:
        return await login(c, email, password)


@pytest.mark.parametrize("spelling", LOOKALIKES)
async def test_a_lookalike_spelling_does_not_bypass_the_login_lockout(app, make_user, spelling):
    await make_user(email=ADDRESS)
    for n in range(10):
        assert (await _login_from(app, n, ADDRESS, "wrong password, again")).status_code == 401
    assert (await _login_from(app, 50, ADDRESS, TEST_PASSWORD)).status_code == 429
    # The right password under another spelling of the same address is locked out too.
    bypass = await _login_from(app, 51, spelling, TEST_PASSWORD)
    assert bypass.status_code == 429, bypass.text


async def test_every_spelling_finds_the_one_account(client, make_user):
    await make_user(email=ADDRESS)
    for spelling in LOOKALIKES:
        response = await login(client, spelling, TEST_PASSWORD)
        assert response.status_code == 200, (spelling, response.text)


async def test_signing_up_with_a_lookalike_of_a_taken_address_is_a_conflict(client, make_user):
    await make_user(email=ADDRESS)
    for spelling in LOOKALIKES:
        response = await client.post(
            "/api/v1/auth/signup", json={"email": spelling, "password": "violet-harbor-lantern-42"}
        )
        assert response.status_code == 409, (spelling, response.text)


async def test_a_lookalike_spelling_does_not_bypass_the_magic_link_limit(app, make_user):
    await make_user(email=ADDRESS)
    for n in range(5):
        async with _client_from(app, n) as c:
            assert (await c.post("/api/v1/auth/magic-link", json={"email": ADDRESS})).status_code == 202
    assert len(OUTBOX) == 5
    for n, spelling in enumerate(LOOKALIKES, start=10):
        async with _client_from(app, n) as c:
            extra = await c.post("/api/v1/auth/magic-link", json={"email": spelling})
        assert extra.status_code == 429, spelling
    assert len(OUTBOX) == 5
