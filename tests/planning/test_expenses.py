"""Expenses: Decimal amounts, currency default, category inference, totals in the user's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from personal_assistant.core.errors import ValidationFailed
from personal_assistant.planning.expenses import service
from personal_assistant.planning.expenses.categories import infer_category
from tests.fixtures.factories import load_user


@pytest.mark.parametrize(
    ("note", "category"),
    [
        ("lunch with Sam", "food"),
        ("Uber home", "transport"),
        ("Netflix", "subscriptions"),
        ("trader joe's run", "groceries"),
        ("rent for May", "housing"),
        ("pharmacy", "health"),
        ("movie tickets", "entertainment"),
        ("new shoes", "shopping"),
        ("flight to Denver", "travel"),
        ("online course", "education"),
        ("electric bill", "utilities"),
        ("mystery", "other"),
        (None, "other"),
    ],
)
def test_category_inference(note, category):
    assert infer_category(note) == category


async def test_amounts_are_exact_decimals(session, make_user):
    user = await load_user(session, await make_user(currency="EUR"))
    for _ in range(3):
        await service.log_expense(session, user, amount="0.10", note="gum")
    e = await service.log_expense(session, user, amount="12.5", note="lunch")
    assert e.amount == Decimal("12.50") and e.currency == "EUR" and e.category == "food"
    summary = await service.summarize(session, user, period="day")
    assert summary.total == Decimal("12.80")  # 0.1 * 3 is exactly 0.30 here
    assert service.money(summary.total) == "12.80"
    for bad in ("0", "-3", "1.234", "abc", 12.5):
        with pytest.raises(ValidationFailed) as err:
            await service.log_expense(session, user, amount=bad)
        assert "amount" in err.value.fields
    with pytest.raises(ValidationFailed) as cat:
        await service.log_expense(session, user, amount="1", category="yachts")
    assert "category" in cat.value.fields


async def test_day_totals_follow_the_users_midnight(session, make_user):
    user = await load_user(session, await make_user(timezone="America/New_York"))
    # 23:30 local on June 1 is 03:30 UTC June 2; 00:30 local June 2 is 04:30 UTC.
    await service.log_expense(session, user, amount="10.00", note="dinner", spent_at="2026-06-01T23:30")
    await service.log_expense(session, user, amount="4.00", note="coffee", spent_at="2026-06-02T00:30")
    june1 = await service.summarize(session, user, period="day", at=datetime(2026, 6, 2, 3, 59, tzinfo=UTC))
    june2 = await service.summarize(session, user, period="day", at=datetime(2026, 6, 2, 4, 0, tzinfo=UTC))
    assert (june1.total, june2.total) == (Decimal("10.00"), Decimal("4.00"))
    assert june1.start == datetime(2026, 6, 1, 4, 0, tzinfo=UTC)


async def test_week_starts_monday_local_and_month_totals_by_category(session, make_user):
    user = await load_user(session, await make_user(timezone="Asia/Tokyo", currency="JPY"))
    # Sunday 2026-06-07 23:00 JST belongs to the week of Monday June 1; Monday 00:30 to the next.
    await service.log_expense(session, user, amount="1000", note="sushi", spent_at="2026-06-07T23:00")
    await service.log_expense(session, user, amount="300", note="train", spent_at="2026-06-08T00:30")
    await service.log_expense(session, user, amount="50", note="bus", spent_at="2026-06-09T09:00")
    await service.log_expense(session, user, amount="20.00", currency="USD", note="app", spent_at="2026-06-09T09:00")
    week = await service.summarize(session, user, period="week", at=datetime(2026, 6, 8, 0, 0, tzinfo=UTC))
    assert week.start == datetime(2026, 6, 7, 15, 0, tzinfo=UTC)  # Monday 00:00 JST
    assert week.total == Decimal("350") and week.count == 2
    assert list(week.by_category.items()) == [("transport", Decimal("350"))]
    assert week.other_currencies == {"USD": Decimal("20.00")}
    month = await service.summarize(session, user, period="month", at=datetime(2026, 6, 15, tzinfo=UTC))
    assert list(month.by_category) == ["food", "transport"]  # largest first
    assert month.total == Decimal("1350")
