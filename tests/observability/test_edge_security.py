"""Security finding 8: forwarded headers only from the proxy, /metrics and /docs closed outside
development, and a public https PUBLIC_BASE_URL required outside development."""

from __future__ import annotations

import httpx
import pytest

from personal_assistant.config import ConfigError, Settings
from personal_assistant.core.crypto import generate_key

STRONG = {
    "secret_key": "x" * 48,
    "encryption_keys": f"1:{generate_key()}",
    "public_base_url": "https://assistant.example.org",
}


@pytest.mark.parametrize(
    "url",
    [
        "http://assistant.example.org",
        "https://127.0.0.1:8000",
        "https://127.10.0.3",
        "https://localhost",
        "https://api.localhost",
        "https://[::1]:8443",
        "https://0.0.0.0",
        "assistant.example.org",
    ],
)
@pytest.mark.parametrize("environment", ["staging", "production"])
def test_a_plain_http_or_loopback_public_url_is_refused_outside_development(environment, url):
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
        Settings(environment=environment, **{**STRONG, "public_base_url": url}).check_secure()


def test_a_public_https_url_is_accepted_and_development_keeps_localhost():
    Settings(environment="production", **STRONG).check_secure()
    Settings(environment="production", **{**STRONG, "public_base_url": "https://203.0.113.7/sms"}).check_secure()
    Settings(environment="development", public_base_url="http://localhost:8000").check_secure()


async def _serve(settings: Settings):
    """The app built for `settings`, in-process, with its lifespan."""
    from personal_assistant.main import create_app

    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return app, httpx.AsyncClient(transport=transport, base_url="https://assistant.example.org")


async def test_docs_are_on_in_development_and_off_in_production_unless_enabled():
    for settings, expected in (
        (Settings(environment="development"), 200),
        (Settings(environment="production", **STRONG), 404),
        (Settings(environment="production", docs_enabled=True, **STRONG), 200),
        (Settings(environment="development", docs_enabled=False), 404),
    ):
        app, client = await _serve(settings)
        async with app.router.lifespan_context(app), client:
            for path in ("/docs", "/openapi.json"):
                assert (await client.get(path)).status_code == expected, (settings.environment, path)


async def test_metrics_need_the_bearer_token_outside_development():
    app, client = await _serve(Settings(environment="production", **STRONG))
    async with app.router.lifespan_context(app), client:
        # No token configured: closed (403), whatever the caller sends.
        assert (await client.get("/metrics")).status_code == 403
        assert (await client.get("/metrics", headers={"Authorization": "Bearer "})).status_code == 403

    app, client = await _serve(Settings(environment="production", metrics_token="m" * 40, **STRONG))
    async with app.router.lifespan_context(app), client:
        assert (await client.get("/metrics")).status_code == 401
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer " + "n" * 40})
        assert wrong.status_code == 401 and "http_requests_total" not in wrong.text
        right = await client.get("/metrics", headers={"Authorization": "Bearer " + "m" * 40})
        assert right.status_code == 200
        assert "http_requests_total" in right.text and "dead_letters_open" in right.text


async def test_metrics_are_open_in_development(client):
    response = await client.get("/metrics")
    assert response.status_code == 200 and "reminder_lateness_seconds" in response.text
