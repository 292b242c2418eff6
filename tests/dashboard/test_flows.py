"""What a person does on each page, through the real app and services (httpx, no browser)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pyotp
from sqlalchemy import func, select

from personal_assistant.auth import service as auth
from personal_assistant.core import clock
from personal_assistant.core.crypto import decrypt
from personal_assistant.core.email import last_email_to
from personal_assistant.db.models import Expense, GroceryItem, Memory, MfaSecret, PhoneNumber, Reminder, Task, User
from personal_assistant.db.session import session_scope
from personal_assistant.workers.enqueue import wait_for_in_process_jobs
from tests.fixtures.factories import TEST_PASSWORD

PASSWORD = "a calm and long passphrase"


async def _count(model, **where) -> int:
    async with session_scope() as s:
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return int((await s.execute(stmt)).scalar_one())


async def _signup(browser, email: str = "sam@example.com") -> None:
    response = await browser.post(
        "/signup",
        {"email": email, "password": PASSWORD, "password_confirm": PASSWORD, "name": "Sam", "timezone": "Europe/Paris"},
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/phone"


async def test_signup_errors_are_shown_next_to_each_field(browser):
    response = await browser.post(
        "/signup", {"email": "not-an-email", "password": "short", "password_confirm": "short"}
    )
    assert response.status_code == 422
    assert 'id="f-email-error"' in response.text or 'id="f-password-error"' in response.text
    response = await browser.post(
        "/signup", {"email": "a@example.com", "password": PASSWORD, "password_confirm": PASSWORD + "x"}
    )
    assert response.status_code == 422 and 'id="f-password_confirm-error"' in response.text
    response = await browser.post(
        "/signup", {"email": "a@example.com", "password": "short", "password_confirm": "short"}
    )
    assert response.status_code == 422 and 'id="f-password-error"' in response.text
    assert 'value="a@example.com"' in response.text  # what was typed is kept (but never the password)
    assert await _count(User) == 0


async def test_signup_with_a_taken_email_says_so_next_to_the_email(browser, make_user):
    user = await make_user()
    response = await browser.post("/signup", {"email": user.email, "password": PASSWORD, "password_confirm": PASSWORD})
    assert response.status_code == 422
    assert 'id="f-email-error"' in response.text and "already an account" in response.text


async def test_signup_then_verify_the_phone_with_the_code_from_the_simulator(browser):
    await _signup(browser)
    home = await browser.get("/")
    assert "add your phone" in home.text
    sent = await browser.post("/phone", {"phone": "(555) 201-0001"})
    assert sent.status_code == 303
    page = (await browser.get("/phone")).text
    assert "Enter the code we texted to +15552010001" in page
    simulated = (await browser.get("/simulator?phone=%2B15552010001")).text
    code = re.search(r"your code is (\d{6})", simulated).group(1)

    wrong = await browser.post(
        "/phone/verify", {"phone": "+15552010001", "code": "000000" if code != "000000" else "111111"}, page="/phone"
    )
    assert wrong.status_code == 422 and 'id="f-code-error"' in wrong.text and "wrong code" in wrong.text

    ok = await browser.post("/phone/verify", {"phone": "+15552010001", "code": code}, page="/phone")
    assert ok.status_code == 303 and ok.headers["location"] == "/"
    home = await browser.get("/")
    assert "+15552010001 is verified" in home.text
    assert "add your phone" not in home.text
    assert await _count(PhoneNumber, e164="+15552010001") == 1


async def test_tasks_add_edit_complete_and_break_down(browser, make_user):
    user = await make_user(timezone="America/New_York")
    await browser.sign_in(user)
    missing = await browser.post("/tasks", {"title": ""})
    assert missing.status_code == 422 and 'id="f-title-error"' in missing.text
    bad = await browser.post("/tasks", {"title": "x", "estimate_minutes": "lots"})
    assert bad.status_code == 422 and 'id="f-estimate_minutes-error"' in bad.text

    added = await browser.post(
        "/tasks", {"title": "clean my room", "due_date": "2031-03-04", "due_time": "18:30", "priority": "1"}
    )
    assert added.status_code == 303
    async with session_scope() as s:
        task = (await s.execute(select(Task).where(Task.user_id == user.id))).scalar_one()
    # The due time was taken in the user's zone: 18:30 New York is 23:30 UTC in March.
    assert task.due_at.isoformat().startswith("2031-03-04T23:30")
    listing = await browser.get("/tasks")
    assert "clean my room" in listing.text and "high" in listing.text

    step = await browser.post(f"/tasks/{task.id}/subtasks", {"title": "pick up the clothes"}, page="/tasks")
    assert step.status_code == 303
    edit = await browser.get(f"/tasks/{task.id}")
    assert "pick up the clothes" in edit.text
    assert 'value="2031-03-04"' in edit.text and 'value="18:30"' in edit.text

    saved = await browser.post(
        f"/tasks/{task.id}",
        {
            "title": "clean the bedroom",
            "status": "doing",
            "priority": "2",
            "due_date": "",
            "due_time": "",
            "estimate_minutes": "20",
            "notes": "music on",
        },
    )
    assert saved.status_code == 303
    asked = await browser.post(f"/tasks/{task.id}/complete", {}, page="/tasks")
    assert asked.status_code == 200 and "still has 1 open step" in asked.text  # asks first
    done = await browser.post(f"/tasks/{task.id}/complete", {"steps": "keep"}, page="/tasks")
    assert done.status_code == 303
    flash = (await browser.get("/tasks")).text
    assert "is done" in flash and "Its 1 open step stays on your list" in flash
    async with session_scope() as s:
        row = await s.get(Task, task.id)
        assert (row.title, row.status, row.due_at, row.estimate_minutes, row.notes) == (
            "clean the bedroom",
            "done",
            None,
            20,
            "music on",
        )
    assert "clean the bedroom" in (await browser.get("/tasks?show=done")).text

    gone = await browser.post(f"/tasks/{task.id}/delete", {}, page=f"/tasks/{task.id}")
    assert gone.status_code == 303
    assert await _count(Task, user_id=user.id) == 0


async def test_settings_are_saved_and_mistakes_shown_next_to_the_field(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    page = (await browser.get("/settings")).text
    form = {
        "name": "Sam",
        "timezone": "America/Chicago",
        "currency": "usd",
        "quiet_hours_start": "22:00",
        "quiet_hours_end": "07:00",
        "checkins_enabled": "on",
        "morning_checkin_time": "08:15",
        "evening_checkin_time": "21:00",
        "escalation_minutes": "15",
        "escalation_max": "2",
        "catchup_minutes": "90",
    }
    assert "Time zone" in page
    saved = await browser.post("/settings", form)
    assert saved.status_code == 303
    async with session_scope() as s:
        row = await s.get(User, user.id)
        assert (
            row.timezone,
            row.currency,
            str(row.quiet_hours_start),
            row.checkins_enabled,
            row.escalation_minutes,
        ) == ("America/Chicago", "USD", "22:00:00", True, 15)

    broken = await browser.post("/settings", {**form, "quiet_hours_end": "", "escalation_minutes": "999"})
    assert broken.status_code == 422
    assert 'id="f-quiet_hours_end-error"' in broken.text or 'id="f-escalation_minutes-error"' in broken.text
    assert 'id="f-escalation_minutes-error"' in broken.text
    async with session_scope() as s:
        row = await s.get(User, user.id)
        assert str(row.quiet_hours_end) == "07:00:00" and row.escalation_minutes == 15  # nothing changed


async def test_goals_groceries_and_expenses(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    assert (await browser.post("/goals", {"title": "run a 5k", "target_date": "2031-06-01"})).status_code == 303
    goals_page = (await browser.get("/goals")).text
    assert "run a 5k" in goals_page and "No tasks yet" in goals_page

    # The add box starts empty (it once showed "<built-in method items of dict …>", and Add stored that).
    fresh = (await browser.get("/groceries")).text
    assert re.search(r'<input id="f-items" name="items" type="text" value=""', fresh), fresh
    assert "built-in method" not in fresh
    assert (await browser.post("/groceries", {"items": "2 milk, eggs and bread"})).status_code == 303
    assert await _count(GroceryItem, user_id=user.id) == 3
    async with session_scope() as s:
        milk = (await s.execute(select(GroceryItem).where(GroceryItem.name == "milk"))).scalar_one()
    assert milk.quantity == "2"
    assert (await browser.post(f"/groceries/{milk.id}/toggle", {}, page="/groceries")).status_code == 303
    page = (await browser.get("/groceries")).text
    assert "In the cart" in page
    assert (await browser.post("/groceries/clear", {}, page="/groceries")).status_code == 303
    assert await _count(GroceryItem, user_id=user.id) == 2

    bad = await browser.post("/expenses", {"amount": "twelve"})
    assert bad.status_code == 422 and 'id="f-amount-error"' in bad.text
    assert (await browser.post("/expenses", {"amount": "12.50", "note": "lunch"})).status_code == 303
    assert (await browser.post("/expenses", {"amount": "$3", "note": "bus"})).status_code == 303
    page = (await browser.get("/expenses")).text
    assert "This week: $15.50" in page and "Food" in page and "Transport" in page
    assert await _count(Expense, user_id=user.id) == 2


async def test_memories_search_edit_and_delete(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    assert (await browser.post("/memories", {"content": "my locker code is 4312", "kind": "fact"})).status_code == 303
    assert (await browser.post("/memories", {"content": "I like oat milk", "kind": "preference"})).status_code == 303
    found = (await browser.get("/memories?q=locker")).text
    assert "my locker code is 4312" in found and "oat milk" not in found
    async with session_scope() as s:
        memo = (await s.execute(select(Memory).where(Memory.content.like("%locker%")))).scalar_one()
    edited = await browser.post(
        f"/memories/{memo.id}", {"content": "my locker code is 9999", "kind": "fact", "importance": "5", "tags": "gym"}
    )
    assert edited.status_code == 303
    assert "my locker code is 9999" in (await browser.get("/memories")).text
    empty = await browser.post(f"/memories/{memo.id}", {"content": "", "kind": "fact", "importance": "3"})
    assert empty.status_code == 422 and 'id="f-content-error"' in empty.text
    assert (await browser.post(f"/memories/{memo.id}/delete", {}, page="/memories")).status_code == 303
    assert await _count(Memory, user_id=user.id) == 1


async def test_reminders_snooze_and_cancel(browser, make_user):
    user = await make_user(timezone="Asia/Tokyo")
    await browser.sign_in(user)
    past = await browser.post("/reminders", {"text": "call mom", "due_at": "2001-01-01T10:00"})
    assert past.status_code == 422 and 'id="f-due_at-error"' in past.text
    # The form's time is local to the user's zone.
    local_due = (clock.now() + timedelta(hours=2)).astimezone(clock.zone("Asia/Tokyo")).strftime("%Y-%m-%dT%H:%M")
    assert (await browser.post("/reminders", {"text": "call mom", "due_at": local_due})).status_code == 303
    async with session_scope() as s:
        reminder = (await s.execute(select(Reminder).where(Reminder.user_id == user.id))).scalar_one()
    assert abs((reminder.due_at - clock.now()).total_seconds() - 7200) < 120
    page = (await browser.get("/reminders")).text
    assert "call mom" in page and "scheduled" in page
    assert (
        await browser.post(f"/reminders/{reminder.id}/snooze", {"minutes": "30"}, page="/reminders")
    ).status_code == 303
    async with session_scope() as s:
        assert (await s.get(Reminder, reminder.id)).status == "snoozed"
    assert (await browser.post(f"/reminders/{reminder.id}/cancel", {}, page="/reminders")).status_code == 303
    async with session_scope() as s:
        assert (await s.get(Reminder, reminder.id)).status == "cancelled"
    assert "Nothing coming up" in (await browser.get("/reminders")).text


async def test_focus_button_starts_and_ends_a_session(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    started = await browser.post("/focus", {"minutes": "25", "label": "the report"}, page="/")
    assert started.status_code == 303
    home = (await browser.get("/")).text
    assert "Focusing on" in home and "the report" in home
    end_path = re.search(r'action="(/focus/[^"]+/end)"', home).group(1)
    assert (await browser.post(end_path, {}, page="/")).status_code == 303
    assert "Start focusing" in (await browser.get("/")).text


async def test_simulator_text_goes_through_the_sms_pipeline_and_shows_the_reply(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    page = (await browser.get("/simulator")).text
    assert f'value="{user.phone}"' in page  # the verified phone is the default sender
    sent = await browser.post("/simulator", {"phone": user.phone, "body": "add milk to groceries"})
    assert sent.status_code == 303
    await wait_for_in_process_jobs(20)
    thread = (await browser.get(f"/simulator/messages?phone={user.phone.replace('+', '%2B')}")).text
    assert "add milk to groceries" in thread
    assert thread.count("bubble outbound") >= 1, thread
    conversation = (await browser.get("/conversation")).text
    assert "add milk to groceries" in conversation  # the same thread


async def test_web_chat_gets_a_reply_in_the_same_thread(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    empty = await browser.post("/conversation", {"text": "  "})
    assert empty.status_code == 422 and 'id="f-text-error"' in empty.text
    sent = await browser.post("/conversation", {"text": "add task renew passport"})
    assert sent.status_code == 303
    fragment = (await browser.get("/conversation/messages")).text
    assert "add task renew passport" in fragment
    assert fragment.count("bubble outbound") == 1
    # Newest at the bottom: the reply comes after the message it answers.
    assert fragment.index("bubble inbound") < fragment.index("bubble outbound")


async def test_export_and_delete_my_account(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    await browser.post("/tasks", {"title": "something of mine"})
    export = await browser.get("/privacy/export")
    assert export.status_code == 200
    assert "attachment" in export.headers["content-disposition"]
    data = json.loads(export.text)
    assert data["user"]["email"] == user.email and "password_hash" not in data["user"]
    assert [t["title"] for t in data["tables"]["tasks"]] == ["something of mine"]

    for typed in ("yes", "delete", "Delete"):  # the page asks for DELETE in capitals, and means it
        refused = await browser.post("/privacy/delete", {"confirm": typed, "password": TEST_PASSWORD}, page="/privacy")
        assert refused.status_code == 422 and 'id="f-confirm-error"' in refused.text, typed
        assert "capital letters" in refused.text
        assert await _count(User, id=user.id) == 1
    wrong = await browser.post(
        "/privacy/delete", {"confirm": "DELETE", "password": "not the password"}, page="/privacy"
    )
    assert wrong.status_code == 422 and 'id="f-password-error"' in wrong.text
    assert await _count(User, id=user.id) == 1

    deleted = await browser.post("/privacy/delete", {"confirm": "DELETE", "password": TEST_PASSWORD}, page="/privacy")
    assert deleted.status_code == 303 and deleted.headers["location"] == "/signup"
    assert await _count(User, id=user.id) == 0
    assert await _count(Task, user_id=user.id) == 0
    assert "everything in it are deleted" in (await browser.get("/signup")).text
    assert (await browser.get("/")).status_code == 303


async def test_magic_link_login_takes_a_click_and_works_once(browser, make_user):
    user = await make_user()
    asked = await browser.post("/login/magic-link", {"email": user.email}, page="/login")
    assert asked.status_code == 200 and "Check your email" in asked.text
    email = last_email_to(user.email)
    assert email is not None
    link = re.search(r"https?://\S+", email.body).group(0)
    assert "/login/magic?token=" in link
    path = link.split("://", 1)[1].split("/", 1)[1]
    opened = await browser.get("/" + path)
    assert opened.status_code == 200 and "Log me in" in opened.text
    assert (await browser.get("/")).status_code == 303  # opening the link alone does not log in
    token = re.search(r'name="token" value="([^"]+)"', opened.text).group(1)
    done = await browser.post("/login/magic", {"token": token}, page="/" + path)
    assert done.status_code == 303
    assert (await browser.get("/")).status_code == 200

    await browser.post("/logout", page="/")
    again = await browser.post("/login/magic", {"token": token}, page="/" + path)
    assert again.status_code == 401 and "used or expired" in again.text


async def test_totp_login_asks_for_the_code(browser, make_user):
    user = await make_user()
    async with session_scope() as s:
        row = await s.get(User, user.id)
        await auth.setup_mfa(s, row)
    async with session_scope() as s:
        secret = decrypt(
            (await s.execute(select(MfaSecret).where(MfaSecret.user_id == user.id))).scalar_one().secret_encrypted
        )
        await auth.enable_mfa(s, await s.get(User, user.id), pyotp.TOTP(secret).now(), password=TEST_PASSWORD)
    first = await browser.post("/login", {"email": user.email, "password": TEST_PASSWORD})
    assert first.status_code == 303 and first.headers["location"] == "/login/code"
    assert (await browser.get("/")).status_code == 303  # not signed in yet
    wrong = await browser.post("/login/code", {"code": "000000"})
    assert wrong.status_code == 422 and 'id="f-code-error"' in wrong.text
    next_code = pyotp.TOTP(secret).at(clock.now(), counter_offset=1)
    ok = await browser.post("/login/code", {"code": next_code})
    assert ok.status_code == 303 and ok.headers["location"] == "/"
    assert (await browser.get("/")).status_code == 200


async def test_two_step_login_can_be_turned_on_and_off_from_settings(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    assert "Set up two-step login" in (await browser.get("/settings")).text
    setup = await browser.post("/settings/two-step/setup", {}, page="/settings")
    assert setup.status_code == 200
    secret = re.search(r'<strong class="secret">([A-Z2-7 ]+)</strong>', setup.text).group(1).replace(" ", "")
    token = re.search(r'name="csrf_token" value="([^"]+)"', setup.text).group(1)
    sealed = re.search(r'name="sealed" value="([^"]+)"', setup.text).group(1)

    wrong = await browser.client.post(
        "/settings/two-step/enable", data={"csrf_token": token, "sealed": sealed, "code": "000000"}
    )
    assert wrong.status_code == 422 and 'id="f-code-error"' in wrong.text
    assert secret == re.search(r'<strong class="secret">([A-Z2-7 ]+)</strong>', wrong.text).group(1).replace(" ", "")
    ok = await browser.client.post(
        "/settings/two-step/enable", data={"csrf_token": token, "sealed": sealed, "code": pyotp.TOTP(secret).now()}
    )
    assert ok.status_code == 200 and "Your recovery codes" in ok.text  # shown once, then Settings
    assert "Turn off two-step login" in (await browser.get("/settings")).text

    await browser.post("/logout", page="/")
    first = await browser.post("/login", {"email": user.email, "password": TEST_PASSWORD})
    assert first.headers["location"] == "/login/code"
    code = pyotp.TOTP(secret).at(clock.now(), counter_offset=1)
    assert (await browser.post("/login/code", {"code": code})).status_code == 303

    refused = await browser.post("/settings/two-step/disable", {"mfa_password": "wrong password!"}, page="/settings")
    assert refused.status_code == 422 and 'id="f-mfa_password-error"' in refused.text
    off = await browser.post("/settings/two-step/disable", {"mfa_password": TEST_PASSWORD}, page="/settings")
    assert off.status_code == 303
    assert "Set up two-step login" in (await browser.get("/settings")).text
