"""The OAuth framework end to end through HTTP, against the fake providers (real client libraries)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from personal_assistant.connectors import oauth
from personal_assistant.core import clock
from personal_assistant.db.models import Connector, OAuthState
from tests.connectors.conftest import connect

PROVIDERS = ["google", "microsoft", "notion"]


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_full_connect_flow(provider, client, fake_providers, make_user, session):
    user = await make_user()
    response = await connect(client, fake_providers, user, provider)
    assert response.status_code == 303
    assert response.headers["location"] == f"/connections?connected={provider}"
    page = (await client.get("/api/v1/connectors", params={"limit": 200}, headers=user.headers)).json()
    listed = {c["provider"]: c for c in page["items"]}
    assert listed[provider]["status"] == "connected"
    assert listed[provider]["scopes"]
    assert listed[provider]["consented_at"]
    assert listed[provider]["account"]
    others = [p for p in PROVIDERS if p != provider]
    assert all(listed[p]["status"] == "not_connected" for p in others)
    page = (await client.get("/api/v1/tools", params={"limit": 200}, headers=user.headers)).json()
    tools = {t["name"]: t for t in page["items"]}
    assert any(t["enabled"] and t["connector"] == provider for t in tools.values())


async def test_authorize_uses_pkce_and_a_bound_expiring_state(client, fake_providers, make_user, session):
    user = await make_user()
    url = (await client.get("/api/v1/connectors/google/authorize", headers=user.headers)).json()["authorize_url"]
    assert "code_challenge_method=S256" in url and "state=" in url
    row = (await session.execute(select(OAuthState))).scalar_one()
    assert row.user_id == user.id and row.provider == "google"
    assert clock.now() < row.expires_at <= clock.now() + timedelta(minutes=11)
    assert "code_verifier" not in row.flow_encrypted  # encrypted


async def _rows(session, model) -> int:
    return len((await session.execute(select(model))).scalars().all())


async def test_wrong_state_stores_nothing(client, fake_providers, make_user, session):
    user = await make_user()
    url = (await client.get("/api/v1/connectors/google/authorize", headers=user.headers)).json()["authorize_url"]
    params = fake_providers.consent("google", url)
    response = await client.get("/oauth/google/callback", params={**params, "state": "forged"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_state"
    assert await _rows(session, Connector) == 0


async def test_state_of_another_provider_is_refused(client, fake_providers, make_user, session):
    user = await make_user()
    url = (await client.get("/api/v1/connectors/google/authorize", headers=user.headers)).json()["authorize_url"]
    params = fake_providers.consent("google", url)
    response = await client.get("/oauth/notion/callback", params=params)
    assert response.status_code == 400
    assert await _rows(session, Connector) == 0


async def test_reused_state_is_refused(client, fake_providers, make_user, session):
    user = await make_user()
    url = (await client.get("/api/v1/connectors/google/authorize", headers=user.headers)).json()["authorize_url"]
    params = fake_providers.consent("google", url)
    assert (await client.get("/oauth/google/callback", params=params)).status_code == 303
    await session.execute(text("DELETE FROM connectors"))
    await session.commit()
    replay = await client.get("/oauth/google/callback", params=params)
    assert replay.status_code == 400
    assert await _rows(session, Connector) == 0


async def test_expired_state_is_refused(client, fake_providers, make_user, session):
    user = await make_user()
    url = (await client.get("/api/v1/connectors/google/authorize", headers=user.headers)).json()["authorize_url"]
    params = fake_providers.consent("google", url)
    row = (await session.execute(select(OAuthState))).scalar_one()
    row.expires_at = clock.now() - timedelta(seconds=1)
    await session.commit()
    response = await client.get("/oauth/google/callback", params=params)
    assert response.status_code == 400
    assert await _rows(session, Connector) == 0


async def test_callback_in_another_signed_in_users_browser_is_refused(fake_providers, make_user, session):
    owner = await make_user()
    other = await make_user()
    url = await oauth.start_authorize(owner.id, "google")
    params = fake_providers.consent("google", url)
    with pytest.raises(oauth.InvalidState):
        await oauth.complete_callback("google", params, signed_in=other.id)
    assert await _rows(session, Connector) == 0


async def test_provider_error_on_consent_stores_nothing(client, fake_providers, make_user, session):
    user = await make_user()
    url = (await client.get("/api/v1/connectors/google/authorize", headers=user.headers)).json()["authorize_url"]
    params = fake_providers.consent("google", url)
    response = await client.get("/oauth/google/callback", params={"state": params["state"], "error": "access_denied"})
    assert response.status_code == 400
    assert await _rows(session, Connector) == 0


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_no_plaintext_token_in_the_database(provider, client, fake_providers, make_user, session):
    user = await make_user()
    await connect(client, fake_providers, user, provider)
    issued = set(fake_providers.access) | set(fake_providers.refresh)
    assert issued
    dump = []
    for table in ("connectors", "oauth_states"):
        for row in (await session.execute(text(f"SELECT * FROM {table}"))).all():  # noqa: S608
            dump.append(" ".join(str(v) for v in row))
    blob = "\n".join(dump)
    assert not [t for t in issued if t in blob]
    account = (await session.execute(select(Connector))).scalar_one()
    assert (account.access_token_encrypted or account.token_cache_encrypted or "").startswith("v1:")


async def test_google_refreshes_before_expiry(client, fake_providers, make_user, session):
    user = await make_user()
    await connect(client, fake_providers, user, "google")
    account = (await session.execute(select(Connector))).scalar_one()
    first = oauth.unseal(account).access_token
    account.expires_at = clock.now() + timedelta(minutes=2)  # inside the refresh margin
    await session.commit()
    tokens = await oauth.fresh_tokens(user.id, "google")
    assert fake_providers.refreshes == 1
    assert tokens.access_token != first
    await session.refresh(account)
    assert oauth.unseal(account).access_token == tokens.access_token  # persisted
    assert account.expires_at > clock.now() + timedelta(minutes=30)
    again = await oauth.fresh_tokens(user.id, "google")  # fresh now: no second refresh
    assert again.access_token == tokens.access_token and fake_providers.refreshes == 1


@pytest.mark.parametrize("provider", ["google", "notion"])
async def test_disconnect_revokes_at_the_provider(provider, client, fake_providers, make_user, session):
    user = await make_user()
    await connect(client, fake_providers, user, provider)
    account = (await session.execute(select(Connector))).scalar_one()
    tokens = oauth.unseal(account)
    await session.commit()
    response = await client.delete(f"/api/v1/connectors/{provider}", headers=user.headers)
    assert response.status_code == 200
    assert response.json()["revoked_at_provider"] is True
    assert (tokens.refresh_token or tokens.access_token) in fake_providers.revoked
    assert await _rows(session, Connector) == 0


async def test_disconnect_microsoft_deletes_and_says_where_to_remove_access(client, fake_providers, make_user, session):
    user = await make_user()
    await connect(client, fake_providers, user, "microsoft")
    response = await client.delete("/api/v1/connectors/microsoft", headers=user.headers)
    assert response.status_code == 200
    assert response.json()["revoked_at_provider"] is False
    assert response.json()["remove_access_url"].startswith("https://")
    assert await _rows(session, Connector) == 0


async def test_another_user_cannot_see_use_or_disconnect(client, fake_providers, make_user, session):
    owner = await make_user()
    intruder = await make_user()
    await connect(client, fake_providers, owner, "google")
    page = (await client.get("/api/v1/connectors", params={"limit": 200}, headers=intruder.headers)).json()
    listed = {c["provider"]: c for c in page["items"]}
    assert listed["google"]["status"] == "not_connected"
    assert (await client.delete("/api/v1/connectors/google", headers=intruder.headers)).status_code == 404
    page = (await client.get("/api/v1/tools", params={"limit": 200}, headers=intruder.headers)).json()
    tools = {t["name"]: t for t in page["items"]}
    assert not any(t["enabled"] for t in tools.values() if t["connector"] == "google")
    with pytest.raises(Exception, match="not found|connector"):
        await oauth.fresh_tokens(intruder.id, "google")
    assert await _rows(session, Connector) == 1  # the owner's is intact


async def test_unknown_provider_is_refused(client, make_user):
    user = await make_user()
    response = await client.get("/api/v1/connectors/myspace/authorize", headers=user.headers)
    assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error"


async def test_unconfigured_provider_says_so(client, make_user):
    user = await make_user()
    response = await client.get("/api/v1/connectors/google/authorize", headers=user.headers)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "not_configured"
