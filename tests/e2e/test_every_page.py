"""Every page, filled with realistic things, at 1280 px and at 390 px: no sideways scrolling, the
whole menu reachable, no serious or critical axe-core violation, and a screenshot of each in
test-artifacts/screenshots/<width>/. Nothing is loaded from outside the app (requests elsewhere
are refused), and /docs still shows the API reference."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

import httpx
import pytest

from tests.e2e.checks import NARROW, WIDE, check_page, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "a calm and long passphrase"
LONG_TITLE = "Call the insurance company about claim 2024-118-55731 and ask for a written confirmation"


def _fill_account(base_url: str) -> dict[str, str]:
    """A user with something on every page, made through the REST API (as a client would)."""
    email = f"tour-{uuid.uuid4().hex[:8]}@example.com"
    with httpx.Client(base_url=base_url, timeout=30) as api:
        signed_up = api.post(
            "/api/v1/auth/signup",
            json={"email": email, "password": PASSWORD, "name": "Robin", "timezone": "America/New_York"},
        )
        assert signed_up.status_code == 201, signed_up.text
        api.headers["Authorization"] = f"Bearer {signed_up.json()['access_token']}"

        def post(path: str, body: dict) -> dict:
            response = api.post(path, json=body)
            assert response.status_code in (200, 201), (path, response.text)
            return response.json()

        goal = post("/api/v1/goals", {"title": "Host a calm birthday party", "why": "Mum turns 70"})
        party = post("/api/v1/tasks", {"title": "plan the party", "goal_id": goal["id"], "priority": 1})
        cake = post("/api/v1/tasks", {"title": "buy cake", "parent_id": party["id"]})
        post("/api/v1/tasks", {"title": "send invites", "parent_id": party["id"], "estimate_minutes": 15})
        post("/api/v1/tasks", {"title": "buy candles", "parent_id": cake["id"]})
        post("/api/v1/tasks", {"title": "renew passport", "due_at": "2031-12-05"})
        post("/api/v1/tasks", {"title": LONG_TITLE, "due_at": "2031-12-04T09:30", "estimate_minutes": 20})
        post("/api/v1/tasks", {"title": "return the library books", "status": "done"})
        soon = (datetime.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
        post("/api/v1/reminders", {"text": "take my meds", "due_at": soon})
        weekly = {"text": "submit the timesheet", "due_at": soon, "recurrence": "FREQ=WEEKLY;BYDAY=MO"}
        post("/api/v1/reminders", weekly)
        post("/api/v1/groceries/bulk", {"items": [{"name": "2 milk"}, {"name": "eggs"}, {"name": "sourdough bread"}]})
        for amount, note in (("12.50", "lunch"), ("3", "bus"), ("1234.56", "a new laptop for work, with a long note")):
            post("/api/v1/expenses", {"amount": amount, "note": note})
        memory = post("/api/v1/memories", {"content": "my locker code is 4312", "tags": ["gym"]})
        post("/api/v1/conversation/messages", {"text": "add task water the plants"})
    return {"email": email, "party": party["id"], "memory": memory["id"]}


async def _log_in(page, email: str) -> None:
    await page.goto("/login")
    await page.locator("#f-email").fill(email)
    await page.locator("#f-password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in", exact=True).click()
    await page.wait_for_url(re.compile(r"/$"))


async def _tour(page, width: int, account: dict[str, str]) -> list[str]:
    seen = []

    async def visit(path: str, name: str) -> None:
        response = await page.goto(path)
        assert response is not None and response.status in (200, 404), (path, response and response.status)
        await check_page(page, width, name)
        seen.append(name)

    # Signed out.
    await visit("/login", "login")
    await visit("/signup", "signup")
    await visit("/login/magic?token=not-a-real-token", "magic-link-confirm")
    await page.goto("/login")
    await page.locator("#f-magic_email").fill(account["email"])
    await page.get_by_role("button", name="Email me a link").click()
    await page.get_by_role("heading", name="Check your email").wait_for()
    await check_page(page, width, "magic-link-sent")
    seen.append("magic-link-sent")
    await visit("/no/such/page", "not-found-signed-out")

    # Signed in.
    await _log_in(page, account["email"])
    for path, name in [
        ("/", "today"),
        ("/conversation", "conversation"),
        ("/tasks", "tasks"),
        ("/tasks?show=done", "tasks-done"),
        ("/tasks?show=all", "tasks-all"),
        (f"/tasks/{account['party']}", "task"),
        ("/reminders", "reminders"),
        ("/goals", "goals"),
        ("/groceries", "groceries"),
        ("/expenses", "expenses"),
        ("/memories", "memories"),
        (f"/memories/{account['memory']}", "memory"),
        ("/settings", "settings"),
        ("/phone", "phone"),
        ("/connections", "connections"),
        ("/privacy", "privacy"),
        ("/simulator", "simulator"),
        ("/no/such/page", "not-found"),
    ]:
        await visit(path, name)

    # Pages reached by a button: marking a task with open steps done asks first (nothing is
    # changed until you answer), and setting up two-step login.
    await page.goto("/tasks")
    await page.get_by_role("button", name="Mark “plan the party” done").click()
    await page.get_by_role("heading", name="“plan the party” is done?").wait_for()
    await check_page(page, width, "task-done-confirm")
    seen.append("task-done-confirm")
    await page.goto("/settings")
    await page.get_by_role("button", name="Set up two-step login").click()
    await page.locator("h1", has_text="two-step").wait_for()
    await check_page(page, width, "two-step-setup")
    seen.append("two-step-setup")

    # The API reference works offline: Swagger UI comes from the app itself.
    await page.goto("/docs")
    await page.locator(".swagger-ui .info .title").wait_for()
    assert "ADHD Assistant" in await page.locator(".swagger-ui .info .title").inner_text()
    await page.locator(".opblock").first.wait_for()
    await screenshot(page, str(width), "api-docs")
    seen.append("api-docs")
    return seen


async def test_every_page_at_1280_and_390(open_context, live_server):
    account = _fill_account(live_server.base_url)
    tours = {}
    for width in (WIDE, NARROW):
        context = await open_context(width)
        page = await context.new_page()
        tours[width] = await _tour(page, width, account)
    assert tours[WIDE] == tours[NARROW] and len(tours[WIDE]) >= 25
    assert live_server.outside_requests == [], live_server.outside_requests
