"""The newcomer's path through the dashboard in a real browser, on a 390 px phone:
sign up -> verify a phone with the code read from the phone simulator -> set the time zone ->
add a task -> text "remind me in 1 minute to stand up" from the simulator -> see the reply,
the reminder on the reminders page, and its delivery -> export data -> delete the account.
Every page gets a screenshot and the checks of tests/e2e/checks.py (axe-core among them)."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from pathlib import Path

import pytest

from tests.e2e.checks import NARROW, check_page

pytestmark = pytest.mark.e2e

PASSWORD = "a calm and long passphrase"
# Generous: the reminder is due a minute after it is set and the scheduler ticks every second.
REMINDER_DELIVERY_TIMEOUT_MS = 150_000

class Shots:
    """Numbered screenshots of the journey (test-artifacts/screenshots/journey/), each page checked."""

    def __init__(self, width: int) -> None:
        self.n = 0
        self.width = width

    async def take(self, page, name: str) -> None:
        self.n += 1
        await check_page(page, self.width, f"{self.n:02d}-{name}", folder="journey")


async def _flash(page) -> str:
    return (await page.locator(".flash").inner_text()).strip()


async def test_newcomer_signs_up_texts_the_assistant_and_leaves(open_context, live_server):
    context = await open_context(NARROW, 844)
    page = await context.new_page()
    shots = Shots(NARROW)
    email = f"e2e-{uuid.uuid4().hex[:8]}@example.com"
    phone = "+1555" + str(uuid.uuid4().int % 10_000_000).zfill(7)

    # Signed out, the dashboard sends you to log in.
    await page.goto("/")
    await page.wait_for_url(re.compile(r"/login$"))
    await shots.take(page, "login")

    # Keyboard: the first Tab on a fresh page lands on the skip link, and focus is visible.
    await page.reload()
    await page.keyboard.press("Tab")
    focused = await page.evaluate(
        "() => [document.activeElement.className, getComputedStyle(document.activeElement).outlineStyle]"
    )
    assert focused[0] == "skip-link" and focused[1] != "none"

    # Sign up.
    await page.get_by_role("button", name="Menu", exact=True).click()
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    await page.wait_for_url(re.compile(r"/signup$"))
    await shots.take(page, "signup")
    await page.get_by_label("Your first name (optional)").fill("Sam")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_label("Password again").fill(PASSWORD)
    await page.get_by_role("button", name="Create my account").click()
    await page.wait_for_url(re.compile(r"/phone$"))
    assert "Welcome" in await _flash(page)
    await shots.take(page, "phone")

    # Verify the phone: the code arrives as a text, read in the phone simulator.
    await page.get_by_label("Mobile number").fill(phone)
    await page.get_by_role("button", name="Text me a code").click()
    await page.wait_for_url(re.compile(r"/phone$"))
    assert "We texted a code" in await _flash(page)
    await page.get_by_role("main").get_by_role("link", name="phone simulator").click()
    await page.wait_for_url(re.compile(r"/simulator\?phone="))
    code_bubble = page.locator(".bubble.outbound", has_text="your code is")
    await code_bubble.first.wait_for()
    code = re.search(r"\b(\d{6})\b", await code_bubble.first.inner_text()).group(1)
    await shots.take(page, "simulator-code")
    await page.goto("/phone")
    await page.get_by_label("6-digit code").fill(code)
    await page.get_by_role("button", name="Verify").click()
    await page.wait_for_url(re.compile(r"/$"))
    assert "is verified" in await _flash(page)
    await shots.take(page, "home")

    # Set the time zone (the menu is folded behind its button on a phone).
    await page.get_by_role("button", name="Menu", exact=True).click()
    await page.get_by_role("navigation", name="Account").get_by_role("link", name="Settings").click()
    await page.wait_for_url(re.compile(r"/settings$"))
    await page.get_by_label("Time zone").select_option("America/New_York")
    await page.get_by_role("button", name="Save settings").click()
    assert "Settings saved" in await _flash(page)
    assert await page.get_by_label("Time zone").input_value() == "America/New_York"
    await shots.take(page, "settings")

    # Add a task.
    await page.goto("/tasks")
    await page.get_by_label("What needs doing?").fill("buy printer ink")
    await page.get_by_role("button", name="Add task").click()
    assert "Added" in await _flash(page)
    await page.locator(".items").get_by_role("link", name="buy printer ink", exact=True).wait_for()
    await shots.take(page, "tasks")

    # Text the assistant from the simulated phone; the reply shows up by itself.
    await page.goto("/simulator")
    assert await page.get_by_label("From phone number").input_value() == phone
    await page.get_by_label("Text message").fill("remind me in 1 minute to stand up")
    await page.get_by_role("button", name="Send text").click()
    await page.wait_for_url(re.compile(r"/simulator\?phone="))
    await page.locator(".bubble.inbound", has_text="remind me in 1 minute to stand up").wait_for()
    reply = page.locator(".bubble.outbound").filter(has_not_text="your code is")
    await reply.first.wait_for(timeout=30_000)
    reply_text = await reply.first.inner_text()
    assert "stand up" in reply_text.lower(), reply_text
    await shots.take(page, "simulator-reply")

    # The reminder is on the reminders page.
    await page.goto("/reminders")
    upcoming = page.locator("section", has=page.get_by_role("heading", name=re.compile("Coming up")))
    await upcoming.get_by_text("stand up").first.wait_for()
    await shots.take(page, "reminders")

    # A minute later the embedded scheduler texts it: it arrives on the phone, and the ledger
    # records the delivery.
    await page.goto("/simulator")
    sent = page.locator(".bubble.outbound", has_text="stand up").filter(has_not_text="remind me")
    await page.wait_for_function(
        "() => [...document.querySelectorAll('.bubble.outbound')]"
        ".filter(b => /stand up/i.test(b.innerText)).length >= 2",
        timeout=REMINDER_DELIVERY_TIMEOUT_MS,
    )
    assert await sent.count() >= 1
    await page.goto("/reminders")
    ledger = page.locator("section", has=page.get_by_role("heading", name="Sent and missed"))
    await ledger.get_by_text("stand up").first.wait_for()
    assert await ledger.locator(".badge").count() >= 1
    await shots.take(page, "reminders-sent")

    # The conversation page shows the same thread.
    await page.goto("/conversation")
    await page.locator(".bubble.inbound", has_text="remind me in 1 minute to stand up").wait_for()
    await shots.take(page, "conversation")

    # Every other page renders, calmly, and passes the accessibility check.
    for path, name in [
        ("/goals", "goals"),
        ("/groceries", "groceries"),
        ("/expenses", "expenses"),
        ("/memories", "memories"),
        ("/connections", "connections"),
        ("/privacy", "privacy"),
    ]:
        await page.goto(path)
        await page.locator("h1").wait_for()
        await shots.take(page, name)

    # Download my data.
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="Download my data").click()
    download = await download_info.value
    data = json.loads(await asyncio.to_thread(Path(await download.path()).read_text, encoding="utf-8"))
    assert data["user"]["email"] == email
    assert any(t["title"] == "buy printer ink" for t in data["tables"]["tasks"])
    assert any("stand up" in r["text"] for r in data["tables"]["reminders"])

    # Delete the account, with confirmation.
    await page.get_by_role("button", name="Delete my account forever").click()
    await page.locator("#f-confirm-error").wait_for()  # nothing typed: asked to confirm, nothing deleted
    await page.get_by_label("Type DELETE to confirm").fill("delete")
    await page.get_by_label("Your password").fill(PASSWORD)
    await page.get_by_role("button", name="Delete my account forever").click()
    assert "capital letters" in await page.locator("#f-confirm-error").inner_text()  # DELETE means DELETE
    await shots.take(page, "delete-refused")
    await page.get_by_label("Type DELETE to confirm").fill("DELETE")
    await page.get_by_label("Your password").fill(PASSWORD)
    await page.get_by_role("button", name="Delete my account forever").click()
    await page.wait_for_url(re.compile(r"/signup$"))
    assert "deleted" in await _flash(page)
    await shots.take(page, "deleted")

    # The account is gone: logging in again fails.
    await page.goto("/login")
    await page.locator("#f-email").fill(email)
    await page.locator("#f-password").fill(PASSWORD)
    await page.get_by_role("button", name="Log in", exact=True).click()
    await page.locator("#f-password-error").wait_for()
    assert live_server.outside_requests == [], live_server.outside_requests
