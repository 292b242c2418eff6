"""One page envelope for every list ({items, total, limit, offset, next}), a stable order with an
id tiebreaker, `sort` honoured (422 on an unknown value), and the time rule for due dates."""

from __future__ import annotations

import pytest

LISTS = [
    "/api/v1/tasks", "/api/v1/goals", "/api/v1/reminders", "/api/v1/groceries", "/api/v1/expenses",
    "/api/v1/focus-sessions", "/api/v1/memories", "/api/v1/conversation/messages", "/api/v1/api-tokens",
    "/api/v1/tools", "/api/v1/memories/search?q=milk",
]


@pytest.mark.parametrize("path", LISTS)
async def test_every_list_has_the_one_envelope(client, make_user, path):
    user = await make_user()
    page = (await client.get(path, headers=user.headers)).json()
    assert set(page) == {"items", "total", "limit", "offset", "next"}, page


async def test_following_next_pages_to_the_end_without_repeats(client, make_user):
    user = await make_user()
    # Equal sort keys (same due date, priority and creation instant is likely): the id decides.
    for n in range(7):
        await client.post("/api/v1/tasks", json={"title": f"t{n}", "due_at": "2031-01-01"}, headers=user.headers)
    seen: list[str] = []
    link: str | None = "/api/v1/tasks?limit=3&status=open"
    pages = 0
    while link:
        page = (await client.get(link, headers=user.headers)).json()
        seen += [t["id"] for t in page["items"]]
        assert page["total"] == 7
        link, pages = page["next"], pages + 1
        if link:
            assert "status=open" in link  # the filters travel with the link
    assert pages == 3 and len(seen) == len(set(seen)) == 7


async def test_sort_is_honoured_and_unknown_values_are_refused(client, make_user):
    user = await make_user()
    for title in ("banana", "apple", "cherry"):
        await client.post("/api/v1/tasks", json={"title": title}, headers=user.headers)
    by_title = (await client.get("/api/v1/tasks?sort=title", headers=user.headers)).json()
    assert [t["title"] for t in by_title["items"]] == ["apple", "banana", "cherry"]
    newest = (await client.get("/api/v1/tasks?sort=-created_at", headers=user.headers)).json()
    assert [t["title"] for t in newest["items"]][0] == "cherry"
    bad = await client.get("/api/v1/tasks?sort=colour", headers=user.headers)
    assert bad.status_code == 422 and "sort" in bad.json()["error"]["fields"]
    for amount in ("5.00", "20.00", "1.50"):
        await client.post("/api/v1/expenses", json={"amount": amount}, headers=user.headers)
    cheap = (await client.get("/api/v1/expenses?sort=amount", headers=user.headers)).json()
    assert [e["amount"] for e in cheap["items"]] == ["1.50", "5.00", "20.00"]


async def test_a_date_only_due_date_stays_a_date(client, make_user):
    user = await make_user(timezone="Europe/Berlin")
    body = {"title": "rent", "due_at": "2026-12-05"}
    task = (await client.post("/api/v1/tasks", json=body, headers=user.headers)).json()
    assert task["due_date"] == "2026-12-05" and task["due_all_day"] is True
    assert task["due_at"].startswith("2026-12-04T23:00:00")  # the start of that day in Berlin
    timed = (await client.patch(f"/api/v1/tasks/{task['id']}", json={"due_at": "2026-12-05T09:00:00"},
                                headers=user.headers)).json()
    assert timed["due_date"] is None and timed["due_all_day"] is False
    assert timed["due_at"].startswith("2026-12-05T08:00:00")  # 09:00 in Berlin: the user's zone


async def test_a_naive_memory_expiry_is_the_users_local_time(client, make_user):
    user = await make_user(timezone="America/New_York")
    memory = (await client.post("/api/v1/memories", json={"content": "parking on level 3",
                                                          "expires_at": "2031-06-01T18:00:00"},
                                headers=user.headers)).json()
    assert memory["expires_at"].startswith("2031-06-01T22:00:00")  # 18:00 New York (EDT) in UTC


async def test_currencies_are_iso_4217_with_their_minor_units(client, make_user):
    user = await make_user()
    bad = await client.post("/api/v1/expenses", json={"amount": "5.00", "currency": "ZZZ"}, headers=user.headers)
    assert bad.status_code == 422 and "currency" in bad.json()["error"]["fields"]
    yen = await client.post("/api/v1/expenses", json={"amount": "500.50", "currency": "JPY"}, headers=user.headers)
    assert yen.status_code == 422 and "amount" in yen.json()["error"]["fields"]
    ok = await client.post("/api/v1/expenses", json={"amount": "500", "currency": "jpy"}, headers=user.headers)
    assert ok.status_code == 201 and ok.json()["currency"] == "JPY"
    profile = await client.patch("/api/v1/me", json={"currency": "ZZZ"}, headers=user.headers)
    assert profile.status_code == 422
