"""HTTP semantics by rule (core/http.py): Location on 201, 200 on a grocery merge, ETag and
If-Match -> 412, HEAD on GET routes, RateLimit-* headers, CORS for the API's headers."""

from __future__ import annotations

import httpx

from personal_assistant.main import create_app


async def test_201_has_a_location_that_reads_the_resource(client, make_user):
    user = await make_user()
    created = await client.post("/api/v1/tasks", json={"title": "milk"}, headers=user.headers)
    assert created.status_code == 201
    location = created.headers["location"]
    assert location == f"/api/v1/tasks/{created.json()['id']}"
    assert (await client.get(location, headers=user.headers)).json() == created.json()
    # An API token has no GET of its own: no Location pointing nowhere.
    token = await client.post("/api/v1/api-tokens", json={"name": "x"}, headers=user.headers)
    assert token.status_code == 201 and "location" not in token.headers


async def test_a_grocery_repeat_merges_with_200(client, make_user):
    user = await make_user()
    first = await client.post("/api/v1/groceries", json={"name": "milk"}, headers=user.headers)
    again = await client.post("/api/v1/groceries", json={"name": "milk"}, headers=user.headers)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]


async def test_etag_and_if_match(client, make_user):
    user = await make_user()
    task = (await client.post("/api/v1/tasks", json={"title": "milk"}, headers=user.headers)).json()
    path = f"/api/v1/tasks/{task['id']}"
    read = await client.get(path, headers=user.headers)
    etag = read.headers["etag"]
    assert etag.startswith('"') and (await client.get(path, headers=user.headers)).headers["etag"] == etag

    stale = await client.patch(path, json={"title": "oat milk"}, headers={**user.headers, "If-Match": '"nope"'})
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "precondition_failed"
    assert stale.headers["etag"] == etag
    assert (await client.get(path, headers=user.headers)).json()["title"] == "milk"

    fresh = await client.patch(path, json={"title": "oat milk"}, headers={**user.headers, "If-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["etag"] != etag
    assert (await client.get(path, headers=user.headers)).headers["etag"] == fresh.headers["etag"]
    # The old tag no longer deletes it; the current one (or *) does.
    assert (await client.delete(path, headers={**user.headers, "If-Match": etag})).status_code == 412
    assert (await client.delete(path, headers={**user.headers, "If-Match": "*"})).status_code == 204
    # Another user's id stays a 404, If-Match or not.
    other = await make_user()
    theirs = {**other.headers, "If-Match": etag}
    assert (await client.patch(path, json={"title": "x"}, headers=theirs)).status_code == 404


async def test_head_answers_like_get_without_a_body(client, make_user):
    user = await make_user()
    get = await client.get("/api/v1/tasks", headers=user.headers)
    head = await client.head("/api/v1/tasks", headers=user.headers)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers["etag"] == get.headers["etag"]
    assert (await client.head("/api/v1/tasks")).status_code == 401


async def test_rate_limited_routes_send_ratelimit_headers(client, settings_env, make_user):
    settings_env(LOGIN_RATE_LIMIT="2/minute")
    user = await make_user()
    body = {"email": user.email, "password": "not the password at all"}
    first = await client.post("/api/v1/auth/login", json=body)
    assert first.headers["ratelimit-limit"] == "2" and int(first.headers["ratelimit-remaining"]) <= 1
    assert int(first.headers["ratelimit-reset"]) >= 1
    for _ in range(3):
        last = await client.post("/api/v1/auth/login", json=body)
    assert last.status_code == 429
    assert last.headers["retry-after"] and last.headers["ratelimit-remaining"] == "0"


async def test_cors_allows_and_exposes_the_api_headers(settings_env):
    settings_env(CORS_ORIGINS='["https://app.example"]')
    app = create_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://assistant.test") as c:
        pre = await c.options("/api/v1/tasks", headers={
            "Origin": "https://app.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "idempotency-key, if-match, content-type, authorization"})
        assert pre.status_code == 200, pre.text
        allowed = pre.headers["access-control-allow-headers"].lower()
        assert "idempotency-key" in allowed and "if-match" in allowed
        got = await c.get("/health", headers={"Origin": "https://app.example"})
        exposed = got.headers["access-control-expose-headers"].lower()
        for name in ("retry-after", "x-request-id", "ratelimit-remaining", "etag", "location"):
            assert name in exposed
