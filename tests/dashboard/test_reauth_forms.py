"""Finding 4 on the dashboard: the delete-account and two-step forms are throttled per account."""

from __future__ import annotations

from sqlalchemy import select

from personal_assistant.db.models import User
from personal_assistant.db.session import session_scope


async def test_the_delete_account_form_is_throttled(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    statuses = []
    for _ in range(25):
        response = await browser.post(
            "/privacy/delete", {"confirm": "DELETE", "password": "not my password at all"}, page="/privacy"
        )
        statuses.append(response.status_code)
    assert 429 in statuses and statuses.count(422) <= 10
    assert "Too many tries" in response.text
    async with session_scope() as s:
        assert (await s.execute(select(User).where(User.id == user.id))).scalar_one_or_none() is not None


async def test_the_two_step_code_form_is_throttled(browser, make_user):
    user = await make_user()
    await browser.sign_in(user)
    page = await browser.post("/settings/two-step/setup", page="/settings")
    assert page.status_code == 200
    import re

    sealed = re.search(r'name="sealed" value="([^"]+)"', page.text).group(1)
    statuses = []
    for _ in range(25):
        response = await browser.post(
            "/settings/two-step/enable", {"code": "123456", "sealed": sealed}, page="/settings"
        )
        statuses.append(response.status_code)
    assert 429 in statuses and statuses.count(422) <= 10
