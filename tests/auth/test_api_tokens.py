"""Personal API tokens: shown once, hashed at rest, usable, revocable."""

from __future__ import annotations

from sqlalchemy import select

from personal_assistant.db.models import ApiToken, AuditEvent
from tests.auth.helpers import bearer, signup


async def test_create_use_list_revoke(client, session):
    account = await signup(client)
    created = await client.post("/api/v1/api-tokens", json={"name": "shortcut"}, headers=account["headers"])
    assert created.status_code == 201
    body = created.json()
    token = body["token"]
    assert token.startswith("pat_") and body["prefix"] == token[:12]
    stored = (await session.execute(select(ApiToken))).scalar_one()
    assert stored.token_hash != token and token not in stored.token_hash

    me = await client.get("/api/v1/me", headers=bearer(token))
    assert me.status_code == 200 and me.json()["email"] == account["email"]

    listed = await client.get("/api/v1/api-tokens", headers=account["headers"])
    assert [t["id"] for t in listed.json()["items"]] == [body["id"]]
    assert "token" not in listed.json()["items"][0]
    assert listed.json()["items"][0]["last_used_at"] is not None
    assert listed.json()["total"] == 1 and listed.json()["next"] is None

    # an API token cannot mint another one
    assert (await client.post("/api/v1/api-tokens", json={"name": "x"}, headers=bearer(token))).status_code == 403

    revoked = await client.delete(f"/api/v1/api-tokens/{body['id']}", headers=account["headers"])
    assert revoked.status_code == 204
    assert (await client.get("/api/v1/me", headers=bearer(token))).status_code == 401
    assert (await client.get("/api/v1/api-tokens", headers=account["headers"])).json()["items"] == []
    events = [e.event for e in (await session.execute(select(AuditEvent))).scalars()]
    assert "auth.api_token_created" in events and "auth.api_token_revoked" in events


async def test_token_name_is_required(client):
    account = await signup(client)
    bad = await client.post("/api/v1/api-tokens", json={"name": "  "}, headers=account["headers"])
    assert bad.status_code == 422 and "name" in bad.json()["error"]["fields"]


async def test_another_users_token_cannot_be_revoked(client):
    owner = await signup(client)
    intruder = await signup(client)
    token = (await client.post("/api/v1/api-tokens", json={"name": "mine"}, headers=owner["headers"])).json()
    denied = await client.delete(f"/api/v1/api-tokens/{token['id']}", headers=intruder["headers"])
    assert denied.status_code == 404
    assert (await client.get("/api/v1/me", headers=bearer(token["token"]))).status_code == 200
