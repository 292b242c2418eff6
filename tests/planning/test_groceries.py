"""Groceries: quantities, merging repeats, fuzzy check-off, clearing."""

from __future__ import annotations

from personal_assistant.planning.groceries import service
from tests.fixtures.factories import load_user


def test_quantity_forms():
    assert service.parse_entry("2 milk") == ("milk", "2")
    assert service.parse_entry("milk x2") == ("milk", "2")
    assert service.parse_entry("2x milk") == ("milk", "2")
    assert service.parse_entry("2 bags of rice") == ("rice", "2 bags")
    assert service.parse_entry("7up") == ("7up", None)
    assert service.parse_entry("eggs", "12") == ("eggs", "12")


async def test_add_many_and_merge_repeat(session, make_user):
    user = await load_user(session, await make_user())
    first = await service.add_items(session, user, ["2 milk", "eggs", ("bread", None)])
    assert [i.name for i in first.added] == ["milk", "eggs", "bread"] and first.unchecked == 3
    again = await service.add_items(session, user, ["Milk x3", {"name": "bananas", "quantity": "6"}])
    assert [i.name for i in again.added] == ["bananas"]
    assert [(i.name, i.quantity) for i in again.merged] == [("milk", "5")]
    items, total = await service.list_items(session, user)
    assert total == 4


async def test_fuzzy_check_off(session, make_user):
    user = await load_user(session, await make_user())
    await service.add_items(session, user, ["milk", "almond milk", "eggs", "tomatoes", "bread"])
    result = await service.check_off(session, user, ["got the milk", "tomato and egg", "caviar"])
    assert sorted(i.name for i in result.checked) == ["eggs", "milk", "tomatoes"]
    assert result.not_found == ["caviar"]
    assert result.remaining == 2
    unchecked, _ = await service.list_items(session, user, checked=False)
    assert sorted(i.name for i in unchecked) == ["almond milk", "bread"]


async def test_ambiguous_check_off_checks_nothing(session, make_user):
    user = await load_user(session, await make_user())
    await service.add_items(session, user, ["oat milk", "almond milk"])
    result = await service.check_off(session, user, ["the milk"])
    assert result.checked == [] and result.ambiguous == ["milk"] and result.remaining == 2


async def test_clear_checked_and_checked_items_do_not_merge(session, make_user):
    user = await load_user(session, await make_user())
    await service.add_items(session, user, ["milk", "eggs"])
    await service.check_off(session, user, ["milk"])
    again = await service.add_items(session, user, ["milk"])  # bought before: a new line
    assert len(again.added) == 1
    assert await service.clear_checked(session, user) == 1
    items, total = await service.list_items(session, user)
    assert total == 2 and all(not i.checked for i in items)
