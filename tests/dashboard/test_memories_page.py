"""The Memories page: search with the same ranking as the API (a paraphrase finds the fact), pin,
and the text each memory came from."""

from __future__ import annotations

from sqlalchemy import select

from personal_assistant.db.models import Memory
from personal_assistant.db.session import session_scope
from tests.fixtures.turns import text_assistant


async def test_dashboard_search_pin_and_the_text_it_came_from(browser, make_user):
    user = await make_user()
    await text_assistant(user, "remember the storage unit code is 5521")
    await browser.sign_in(user)
    page = (await browser.get("/memories?q=that number for the storage unit")).text
    assert "the storage unit code is 5521" in page
    assert "From your text: “remember the storage unit code is 5521”" in page
    async with session_scope() as s:
        memo = (await s.execute(select(Memory).where(Memory.user_id == user.id))).scalar_one()
    assert (await browser.post(f"/memories/{memo.id}/pin", {}, page="/memories")).status_code == 303
    assert "Pinned</span>" in (await browser.get("/memories")).text
    async with session_scope() as s:
        assert (await s.get(Memory, memo.id)).pinned is True
