"""Grocery list rules: add many at once with quantities ("2 milk", "milk x2"), merge a repeat
into the unchecked item of the same name, check off by fuzzy name ("got the milk"), clear."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.core import clock
from personal_assistant.core.errors import ValidationFailed
from personal_assistant.db.models.planning import GroceryItem
from personal_assistant.planning.common import UserRef, best_matches, remember_list, user_id_of, words
from personal_assistant.planning.groceries.repository import GroceryRepository

LIST_KIND = "groceries"
_UNITS = r"(?:kg|g|lbs?|l|ml|oz|dozen|bags?|boxes?|cans?|bottles?|packs?|loaf|loaves|bunch(?:es)?|jars?)"
_LEADING = re.compile(rf"^\s*(\d+(?:[.,]\d+)?(?:\s*{_UNITS}\b)?)(?:\s*[x×]\s+|\s+)(?:of\s+)?(.+)$", re.I)
_TRAILING = re.compile(r"^(.+?)\s*(?:x|×|\*)\s*(\d+(?:[.,]\d+)?)\s*$", re.I)
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\n|&|\+)\s*", re.I)
_LEAD_WORDS = re.compile(
    r"^(?:(?:i\s+)?(?:got|get|bought|picked\s+up|grabbed|have|need|add|buy|some|the|a|an)\s+)+", re.I
)


@dataclass
class AddResult:
    added: list[GroceryItem] = field(default_factory=list)
    merged: list[GroceryItem] = field(default_factory=list)
    unchecked: int = 0


@dataclass
class CheckResult:
    checked: list[GroceryItem] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    remaining: int = 0


def _repo(session: AsyncSession, user: UserRef) -> GroceryRepository:
    return GroceryRepository(session, user_id_of(user))


def parse_entry(text: str, quantity: str | None = None) -> tuple[str, str | None]:
    """'2 milk' / 'milk x2' / '2x milk' -> ('milk', '2'); an explicit quantity wins."""
    name = (text or "").strip()
    found_qty = None
    m = _LEADING.match(name) or None
    if m:
        found_qty, name = m.group(1), m.group(2)
    else:
        m = _TRAILING.match(name)
        if m:
            name, found_qty = m.group(1), m.group(2)
    name = re.sub(r"\s+", " ", name).strip(" .")
    qty = (quantity or "").strip() or found_qty
    return name, (qty.replace(",", ".") if qty else None)


def split_names(text: str) -> list[str]:
    """'milk, eggs and bread' -> ['milk', 'eggs', 'bread']."""
    return [part for part in _SPLIT.split(text or "") if part.strip()]


def _key(name: str) -> str:
    return " ".join(words(name, drop_stopwords=False))


def _merge_quantity(old: str | None, new: str | None) -> str | None:
    if old is None:
        return new or None
    if new is None:
        # Asked for again without a number: one more of it when counted, else unchanged.
        new = "1" if _number(old) is not None else None
        if new is None:
            return old
    a, b = _number(old), _number(new)
    if a is not None and b is not None:
        total = a + b
        return str(total.normalize()) if total != total.to_integral() else str(int(total))
    return new


def _number(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except (InvalidOperation, ValueError):
        return None


async def add_items(session: AsyncSession, user: UserRef, entries: list[Any]) -> AddResult:
    """Add several items at once. An entry is text ("2 milk"), a (name, quantity) pair, or a
    mapping with name/quantity. An unchecked item with the same name is merged (quantities
    added when both are numbers) instead of duplicated."""
    repo = _repo(session, user)
    open_items = {_key(i.name): i for i in await repo.unchecked()}
    result = AddResult()
    for entry in entries:
        if isinstance(entry, dict):
            raw, qty = entry.get("name", ""), entry.get("quantity")
        elif isinstance(entry, tuple):
            raw, qty = entry
        else:
            raw, qty = getattr(entry, "name", entry), getattr(entry, "quantity", None)
        name, quantity = parse_entry(str(raw), qty)
        if not name:
            raise ValidationFailed("an item needs a name", fields={"name": "required"})
        if len(name) > 120 or (quantity and len(quantity) > 40):
            raise ValidationFailed("item name or quantity too long", fields={"name": "at most 120 characters"})
        existing = open_items.get(_key(name))
        if existing is not None:
            existing.quantity = _merge_quantity(existing.quantity, quantity)
            if existing not in result.merged and existing not in result.added:
                result.merged.append(existing)
            continue
        item = await repo.add(GroceryItem(name=name, quantity=quantity, checked=False))
        open_items[_key(name)] = item
        result.added.append(item)
    await session.flush()
    result.unchecked = len(open_items)
    return result


async def list_items(
    session: AsyncSession,
    user: UserRef,
    *,
    checked: bool | None = None,
    limit: int | None = 200,
    offset: int = 0,
    for_sms: bool = False,
) -> tuple[list[GroceryItem], int]:
    """The list (unchecked first, oldest first); `checked` filters."""
    where = [] if checked is None else [GroceryItem.checked.is_(checked)]
    repo = _repo(session, user)
    items = await repo.list(*where, order_by=[GroceryItem.checked, GroceryItem.created_at], limit=limit, offset=offset)
    if for_sms:
        await remember_list(session, user_id_of(user), LIST_KIND, [i.id for i in items])
    return items, await repo.count(*where)


async def check_off(session: AsyncSession, user: UserRef, names: list[str]) -> CheckResult:
    """Check items off by what the user said: "got the milk", "eggs and bread". Each phrase
    checks the unchecked item it names best; unknown or ambiguous phrases are reported."""
    repo = _repo(session, user)
    pool = await repo.unchecked()
    result = CheckResult()
    now = clock.now()
    phrases = [p for text in names for p in split_names(text)]
    for phrase in phrases:
        cleaned = _LEAD_WORDS.sub("", phrase.strip()).strip() or phrase.strip()
        cleaned = parse_entry(cleaned)[0] or cleaned
        matches = best_matches(cleaned, pool, key=lambda i: i.name, threshold=0.75)
        if not matches:
            result.not_found.append(cleaned)
            continue
        if len(matches) > 1 and not all(_key(m.name) == _key(matches[0].name) for m in matches):
            result.ambiguous.append(cleaned)
            continue
        for item in matches:
            item.checked = True
            item.checked_at = now
            pool.remove(item)
            result.checked.append(item)
    await session.flush()
    result.remaining = len(pool)
    return result


async def clear_checked(session: AsyncSession, user: UserRef) -> int:
    """Remove every checked item; returns how many were removed."""
    repo = _repo(session, user)
    done = await repo.checked()
    for item in done:
        await session.delete(item)
    await session.flush()
    return len(done)


async def get_item(session: AsyncSession, user: UserRef, item_id: uuid.UUID | str) -> GroceryItem:
    return await _repo(session, user).get(item_id)


async def update_item(
    session: AsyncSession, user: UserRef, item_id: uuid.UUID | str, changes: dict[str, Any]
) -> GroceryItem:
    """Rename, change the quantity, or (un)check an item."""
    item = await get_item(session, user, item_id)
    if "name" in changes:
        if not (changes["name"] or "").strip():
            raise ValidationFailed("an item needs a name", fields={"name": "required"})
        item.name = changes["name"].strip()
    if "quantity" in changes:
        item.quantity = changes["quantity"] or None
    if changes.get("checked") is not None and changes["checked"] != item.checked:
        item.checked = changes["checked"]
        item.checked_at = clock.now() if item.checked else None
    await session.flush()
    return item


async def delete_item(session: AsyncSession, user: UserRef, item_id: uuid.UUID | str) -> None:
    repo = _repo(session, user)
    await repo.delete(await repo.get(item_id))


async def remove_items(session: AsyncSession, user: UserRef, names: list[str]) -> tuple[list[str], list[str]]:
    """Delete the unchecked items with these names ("undo" of an add, "not eggs, lemons").
    Returns (removed names, names not on the list). Only exact names (case and plural aside)."""
    repo = _repo(session, user)
    pool = {_key(i.name): i for i in await repo.unchecked()}
    removed: list[str] = []
    missing: list[str] = []
    for name in names:
        item = pool.pop(_key(parse_entry(name)[0] or name), None)
        if item is None:
            missing.append(name)
            continue
        removed.append(item.name)
        await session.delete(item)
    await session.flush()
    return removed, missing
