"""Connecting an account in a real browser: the Connections page -> Connect Google -> the
provider's consent (a local fake of Google's OAuth server, which the real client libraries of the
app talk to) -> the app's callback -> back on Connections, connected; then Disconnect revokes the
token at the fake. The server is `assistant migrate` + uvicorn, as `make run` starts it, pointed
at the fake by the documented settings."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest

from tests.e2e.checks import WIDE, check_page
from tests.e2e.conftest import Server, serve
from tests.fixtures.fake_providers import FakeProviders

pytestmark = pytest.mark.e2e

PASSWORD = "a calm and long passphrase"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeProviders]:
    providers = FakeProviders.start()
    try:
        yield providers
    finally:
        providers.stop()


@pytest.fixture(scope="module")
def live_server(fake: FakeProviders) -> Iterator[Server]:
    # oauthlib refuses plain-http token URLs unless told this is a local test.
    with serve(fake.settings() | {"OAUTHLIB_INSECURE_TRANSPORT": "1"}) as server:
        server.allowed_origins.append(fake.url)
        yield server


async def test_connect_google_from_the_dashboard_then_disconnect(open_context, live_server, fake):
    context = await open_context(WIDE)
    page = await context.new_page()
    await page.goto("/signup")
    await page.get_by_label("Email").fill(f"e2e-{uuid.uuid4().hex[:8]}@example.com")
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_label("Password again").fill(PASSWORD)
    await page.get_by_role("button", name="Create my account").click()
    await page.wait_for_url(re.compile(r"/phone$"))

    await page.goto("/connections")
    google = page.locator("li#google")
    assert "Connecting lets your assistant" in await google.inner_text()
    await check_page(page, WIDE, "connections-before", folder="connect")

    await page.get_by_role("button", name="Connect Google").click()
    # The browser went to the fake's consent endpoint and was sent back to the callback.
    await page.wait_for_url(re.compile(r"/connections\?connected=google$"))
    assert any(path == "/google/o/oauth2/auth" for _, path in fake.requests)
    assert "Google is connected." in await page.locator(".flash").inner_text()
    await page.get_by_role("button", name="Disconnect Google").wait_for()
    assert "connected" in await google.locator(".badge").inner_text()
    await check_page(page, WIDE, "connections-connected", folder="connect")

    assert not fake.revoked
    await page.get_by_role("button", name="Disconnect Google").click()
    await page.get_by_role("button", name="Connect Google").wait_for()
    assert fake.revoked, "disconnecting revokes the grant at Google"
    assert not live_server.outside_requests
