"""Admin endpoints: admin role AND MFA required, audited, paginated."""

from __future__ import annotations

from sqlalchemy import select

from personal_assistant.db.models import AuditEvent
from tests.auth.helpers import bearer, enable_mfa, login, signup
from tests.auth.helpers import code_for as totp_code
from tests.fixtures.factories import TEST_PASSWORD


async def _admin_with_mfa(client, make_user) -> dict[str, str]:
    admin = await make_user(role="admin")
    secret = await enable_mfa(client, admin.headers, TEST_PASSWORD)
    challenge = (await login(client, admin.email, TEST_PASSWORD)).json()
    assert challenge["mfa_required"] is True
    done = await client.post(
        "/api/v1/auth/mfa/verify", json={"mfa_token": challenge["mfa_token"], "code": totp_code(secret, 1)}
    )
    assert done.status_code == 200, done.text
    return bearer(done.json()["access_token"])


async def test_standard_user_gets_403_on_every_admin_route(client, make_user):
    user = await make_user()
    target = await make_user()
    for method, url in [
        ("GET", "/api/v1/admin/users"),
        ("GET", f"/api/v1/admin/users/{target.id}"),
        ("POST", f"/api/v1/admin/users/{target.id}/disable"),
    ]:
        response = await client.request(method, url, headers=user.headers)
        assert response.status_code == 403, url
        assert response.json()["error"]["code"] == "forbidden"
    assert (await client.get("/api/v1/admin/users")).status_code == 401


async def test_admin_without_mfa_is_told_to_enable_it(client, make_user):
    admin = await make_user(role="admin")
    response = await client.get("/api/v1/admin/users", headers=admin.headers)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "mfa_required"


async def test_admin_lists_views_and_disables_with_audit(client, make_user, session):
    headers = await _admin_with_mfa(client, make_user)
    members = [await signup(client) for _ in range(3)]

    page = await client.get("/api/v1/admin/users", params={"limit": 2, "offset": 0}, headers=headers)
    assert page.status_code == 200
    body = page.json()
    assert body["total"] == 4 and len(body["items"]) == 2 and body["limit"] == 2
    rest = (await client.get("/api/v1/admin/users", params={"limit": 2, "offset": 2}, headers=headers)).json()
    assert len({u["id"] for u in body["items"] + rest["items"]}) == 4
    search = (await client.get("/api/v1/admin/users", params={"q": members[0]["email"][:10]}, headers=headers)).json()
    assert [u["email"] for u in search["items"]] == [members[0]["email"]]

    target = members[1]
    detail = await client.get(f"/api/v1/admin/users/{target['user']['id']}", headers=headers)
    assert detail.status_code == 200 and detail.json()["email"] == target["email"]
    assert detail.json()["phones"] == []

    disabled = await client.post(f"/api/v1/admin/users/{target['user']['id']}/disable", headers=headers)
    assert disabled.status_code == 200 and disabled.json()["is_active"] is False
    assert (await login(client, target["email"])).status_code == 401
    assert (
        await client.post("/api/v1/auth/refresh", json={"refresh_token": target["refresh_token"]})
    ).status_code == 401
    assert (await client.get("/api/v1/me", headers=target["headers"])).status_code == 401

    missing = await client.get("/api/v1/admin/users/00000000-0000-0000-0000-000000000000", headers=headers)
    assert missing.status_code == 404

    events = [e.event for e in (await session.execute(select(AuditEvent))).scalars()]
    assert events.count("admin.users_listed") == 3
    assert "admin.user_viewed" in events and "admin.user_disabled" in events


async def test_admin_cannot_drop_mfa(client, make_user):
    admin = await make_user(role="admin")
    secret = await enable_mfa(client, admin.headers, TEST_PASSWORD)
    response = await client.post("/api/v1/auth/mfa/disable", json={"code": totp_code(secret, 1)}, headers=admin.headers)
    assert response.status_code == 409 and response.json()["error"]["code"] == "mfa_required"
