"""REST for the planning resources and memories: CRUD, filters, pagination, field errors."""

from __future__ import annotations

from datetime import datetime

import time_machine


async def test_tasks_crud_filters_and_completion(client, make_user):
    user = await make_user(timezone="America/New_York")
    h = user.headers
    parent = (
        await client.post("/api/v1/tasks", json={"title": "move house", "due_at": "2026-09-01"}, headers=h)
    ).json()
    assert parent["due_all_day"] is True and parent["due_at"].startswith("2026-09-01T04:00:00")
    sub = await client.post("/api/v1/tasks", json={"title": "pack books", "parent_id": parent["id"]}, headers=h)
    assert sub.status_code == 201
    listed = (await client.get("/api/v1/tasks", params={"parent_id": parent["id"]}, headers=h)).json()
    assert listed["total"] == 1 and listed["items"][0]["title"] == "pack books"
    done = (await client.post(f"/api/v1/tasks/{parent['id']}/complete", headers=h)).json()
    assert done["task"]["status"] == "done" and [t["title"] for t in done["open_subtasks"]] == ["pack books"]
    patched = await client.patch(f"/api/v1/tasks/{sub.json()['id']}", json={"priority": 1}, headers=h)
    assert patched.json()["priority"] == 1
    bad = await client.post("/api/v1/tasks", json={"title": "", "priority": 9}, headers=h)
    assert bad.status_code == 422 and {"title", "priority"} <= set(bad.json()["error"]["fields"])
    bad_due = await client.post("/api/v1/tasks", json={"title": "x", "due_at": "soon"}, headers=h)
    assert bad_due.status_code == 422 and "due_at" in bad_due.json()["error"]["fields"]
    assert (await client.delete(f"/api/v1/tasks/{parent['id']}", headers=h)).status_code == 204
    assert (await client.get("/api/v1/tasks", headers=h)).json()["total"] == 0  # subtasks went too


async def test_pagination(client, make_user):
    user = await make_user()
    for i in range(5):
        await client.post("/api/v1/tasks", json={"title": f"t{i}"}, headers=user.headers)
    page = (await client.get("/api/v1/tasks", params={"limit": 2, "offset": 2}, headers=user.headers)).json()
    assert (page["total"], len(page["items"]), page["limit"], page["offset"]) == (5, 2, 2, 2)
    too_big = await client.get("/api/v1/tasks", params={"limit": 1000}, headers=user.headers)
    assert too_big.status_code == 422 and "limit" in too_big.json()["error"]["fields"]


async def test_goals_progress_over_rest(client, make_user):
    h = (await make_user()).headers
    goal = (await client.post("/api/v1/goals", json={"title": "run 5k", "target_date": "2026-10-01"}, headers=h)).json()
    ids = [
        (await client.post("/api/v1/tasks", json={"title": f"run {i}", "goal_id": goal["id"]}, headers=h)).json()["id"]
        for i in range(2)
    ]
    await client.patch(f"/api/v1/tasks/{ids[0]}", json={"status": "done"}, headers=h)
    got = (await client.get(f"/api/v1/goals/{goal['id']}", headers=h)).json()
    assert (got["tasks_done"], got["tasks_total"], got["progress"]) == (1, 2, 0.5)
    bad = await client.post("/api/v1/goals", json={"title": "x", "target_date": "someday"}, headers=h)
    assert bad.status_code == 422 and "target_date" in bad.json()["error"]["fields"]


async def test_reminders_rest_actions(client, make_user):
    user = await make_user(timezone="Europe/London")
    h = user.headers
    with time_machine.travel(datetime.fromisoformat("2026-03-27T12:00:00+00:00"), tick=False):
        created = await client.post(
            "/api/v1/reminders",
            headers=h,
            json={"text": "take meds", "due_at": "2026-03-28T08:00", "recurrence": "FREQ=DAILY"},
        )
        assert created.status_code == 201, created.text
        r = created.json()
        assert r["due_at"].startswith("2026-03-28T08:00:00") and r["recurrence"] == "FREQ=DAILY"
        assert r["timezone"] == "Europe/London" and r["status"] == "pending"
    with time_machine.travel(datetime.fromisoformat("2026-03-28T08:05:00+00:00"), tick=False):
        acked = (await client.post(f"/api/v1/reminders/{r['id']}/acknowledge", headers=h)).json()
        # UK clocks go forward on 2026-03-29: 08:00 BST is 07:00 UTC.
        assert acked["due_at"].startswith("2026-03-29T07:00:00") and acked["status"] == "pending"
        assert acked["local_due"].startswith("2026-03-29T08:00:00+01:00")
        snoozed = (await client.post(f"/api/v1/reminders/{r['id']}/snooze", json={"minutes": 30}, headers=h)).json()
        assert snoozed["status"] == "snoozed" and snoozed["next_fire_at"].startswith("2026-03-28T08:35:00")
        default = (await client.post(f"/api/v1/reminders/{r['id']}/snooze", headers=h)).json()
        assert default["next_fire_at"].startswith("2026-03-28T08:15:00")
        past = await client.post(f"/api/v1/reminders/{r['id']}/snooze", json={"until": "2026-03-28T07:00"}, headers=h)
        assert past.status_code == 422 and "until" in past.json()["error"]["fields"]
        upcoming = (await client.get("/api/v1/reminders", params={"upcoming": True}, headers=h)).json()
        assert upcoming["total"] == 1
        cancelled = (await client.post(f"/api/v1/reminders/{r['id']}/cancel", headers=h)).json()
        assert cancelled["status"] == "cancelled" and cancelled["next_fire_at"] is None
        assert (await client.get("/api/v1/reminders", params={"upcoming": True}, headers=h)).json()["total"] == 0
        bad = await client.post(
            "/api/v1/reminders",
            headers=h,
            json={"text": "x", "due_at": "2026-04-01T09:00", "recurrence": "FREQ=SECONDLY"},
        )
        assert bad.status_code == 422 and "recurrence" in bad.json()["error"]["fields"]
        moved = await client.patch(f"/api/v1/reminders/{r['id']}", json={"text": "meds!"}, headers=h)
        assert moved.json()["text"] == "meds!"
        assert (await client.delete(f"/api/v1/reminders/{r['id']}", headers=h)).status_code == 204
        assert (await client.get(f"/api/v1/reminders/{r['id']}", headers=h)).status_code == 404


async def test_groceries_rest(client, make_user):
    h = (await make_user()).headers
    bulk = await client.post(
        "/api/v1/groceries/bulk", headers=h, json={"items": [{"name": "2 milk"}, {"name": "eggs"}, {"name": "bread"}]}
    )
    assert bulk.status_code == 201 and bulk.json()["unchecked"] == 3
    merged = (await client.post("/api/v1/groceries", json={"name": "milk x2"}, headers=h)).json()
    assert (merged["name"], merged["quantity"]) == ("milk", "4")
    checked = (await client.post("/api/v1/groceries/check", json={"names": ["got the milk"]}, headers=h)).json()
    assert [i["name"] for i in checked["checked"]] == ["milk"] and checked["remaining"] == 2
    assert (await client.get("/api/v1/groceries", params={"checked": True}, headers=h)).json()["total"] == 1
    assert (await client.post("/api/v1/groceries/clear-checked", headers=h)).json() == {"cleared": 1}
    assert (await client.get("/api/v1/groceries", headers=h)).json()["total"] == 2


async def test_expenses_rest_amounts_are_strings(client, make_user):
    h = (await make_user(timezone="America/Chicago", currency="USD")).headers
    e = await client.post(
        "/api/v1/expenses", json={"amount": "4.5", "note": "coffee", "spent_at": "2026-06-03T08:00"}, headers=h
    )
    assert e.status_code == 201
    body = e.json()
    assert (body["amount"], body["currency"], body["category"]) == ("4.50", "USD", "food")
    as_number = await client.post("/api/v1/expenses", json={"amount": 4.5}, headers=h)
    assert as_number.status_code == 422 and "amount" in as_number.json()["error"]["fields"]
    await client.post(
        "/api/v1/expenses", json={"amount": "20.00", "note": "uber", "spent_at": "2026-06-04T09:00"}, headers=h
    )
    summary = (
        await client.get("/api/v1/expenses/summary", params={"period": "week", "at": "2026-06-03T12:00"}, headers=h)
    ).json()
    assert summary["total"] == "24.50" and summary["by_category"] == {"transport": "20.00", "food": "4.50"}
    filtered = (await client.get("/api/v1/expenses", params={"category": "food"}, headers=h)).json()
    assert filtered["total"] == 1
    window = (
        await client.get("/api/v1/expenses", params={"from": "2026-06-04T00:00", "to": "2026-06-05T00:00"}, headers=h)
    ).json()
    assert [x["note"] for x in window["items"]] == ["uber"]
    bad = await client.get("/api/v1/expenses/summary", params={"period": "decade"}, headers=h)
    assert bad.status_code == 422 and "period" in bad.json()["error"]["fields"]


async def test_focus_rest(client, make_user):
    h = (await make_user()).headers
    started = await client.post("/api/v1/focus-sessions", json={"minutes": 25, "midway_checkin": True}, headers=h)
    assert started.status_code == 201
    again = await client.post("/api/v1/focus-sessions", json={"minutes": 10}, headers=h)
    assert again.status_code == 409
    ended = (
        await client.post(f"/api/v1/focus-sessions/{started.json()['id']}/end", json={"outcome": "ok"}, headers=h)
    ).json()
    assert ended["status"] == "ended_early" and ended["outcome"] == "ok"


async def test_memories_rest_search(client, make_user):
    h = (await make_user()).headers
    await client.post("/api/v1/memories", json={"content": "my locker code is 4312"}, headers=h)
    await client.post("/api/v1/memories", json={"content": "I like oat milk", "kind": "preference"}, headers=h)
    found = (await client.get("/api/v1/memories/search", params={"q": "what's my locker code?"}, headers=h)).json()
    assert [i["memory"]["content"] for i in found["items"]] == ["my locker code is 4312"]
    assert found["items"][0]["memory"]["use_count"] == 1
    assert found["total"] is None and found["next"] is None and found["limit"] == 5
    missing = await client.get("/api/v1/memories/search", headers=h)
    assert missing.status_code == 422 and "q" in missing.json()["error"]["fields"]
    bad = await client.post("/api/v1/memories", json={"content": "x", "importance": 9}, headers=h)
    assert bad.status_code == 422 and "importance" in bad.json()["error"]["fields"]
    assert (await client.get("/api/v1/memories", headers=h)).json()["total"] == 2
