"""Item lists as people text them: "milk, eggs and bread", "2 apples and a loaf of bread"."""

from __future__ import annotations

import re

# Names that contain "and" and must not be split.
KEEP_TOGETHER = (
    "mac and cheese", "salt and pepper", "peanut butter and jelly", "fish and chips",
    "half and half", "salt and vinegar", "sweet and sour", "cookies and cream", "rice and beans",
)  # fmt: skip
UNITS = (
    r"(?:lbs?|pounds?|kg|kilos?|g|grams?|oz|ounces?|l|liters?|litres?|ml|gallons?|gal|quarts?|pints?|"
    r"cans?|tins?|jars?|bottles?|boxes?|bags?|packs?|packets?|loaf|loaves|dozen|bunch(?:es)?|heads?|"
    r"cartons?|bars?|rolls?|sticks?|slices?|pieces?|cups?|tubs?|blocks?)"
)
WORD_QTY = {
    "a": "1", "an": "1", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "twelve": "12", "a couple of": "2",
    "a couple": "2", "couple of": "2", "a few": "a few", "some": None, "a dozen": "12",
    "a half dozen": "6", "half a dozen": "6",
}  # fmt: skip
_QTY = r"(?P<q>\d+(?:[.,/]\d+)?|a\s+couple(?:\s+of)?|couple\s+of|a\s+few|half\s+a\s+dozen|a\s+half\s+dozen|a\s+dozen|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|some)"  # noqa: E501
RE_ITEM = re.compile(rf"^(?:{_QTY}\s+)?(?:(?P<unit>{UNITS})\s+(?:of\s+)?)?(?P<name>.+)$", re.IGNORECASE)
RE_TRAILING_QTY = re.compile(r"^(?P<name>.+?)\s*(?:x\s?(?P<q>\d+)|\((?P<q2>\d+[^)]*)\))$", re.IGNORECASE)


GROCERY_WORDS = frozenset({
    "milk", "eggs", "egg", "bread", "butter", "cheese", "yogurt", "yoghurt", "apples", "apple", "bananas",
    "banana", "oranges", "orange", "lemons", "lemon", "limes", "lime", "berries", "strawberries", "grapes",
    "tomatoes", "tomato", "potatoes", "potato", "onions", "onion", "garlic", "lettuce", "spinach", "carrots",
    "broccoli", "peppers", "avocado", "avocados", "rice", "pasta", "noodles", "flour", "sugar", "salt", "pepper",
    "oil", "coffee", "tea", "juice", "water", "soda", "beer", "wine", "cereal", "oats", "chicken", "beef", "pork",
    "fish", "salmon", "tuna", "tofu", "beans", "ham", "bacon", "sausages", "cream", "chips", "snacks", "cookies",
    "chocolate", "honey", "jam", "peanut", "toilet", "paper", "soap", "detergent", "shampoo", "toothpaste",
    "diapers", "dog", "cat", "food", "lentils", "cucumber", "celery", "mushrooms", "corn", "peas", "hummus",
    "crackers", "granola", "almonds", "nuts", "ketchup", "mayo", "mustard", "vinegar", "bagels", "tortillas",
    "wraps", "biscuits", "crisps", "squash", "pears", "peaches", "melon", "kale", "ginger", "basil", "mince",
    "steak", "turkey", "shrimp", "prawns", "icecream", "popcorn", "cheddar", "feta", "mozzarella", "sponges",
    "foil", "bin", "bags", "batteries", "tissues", "wipes", "conditioner", "deodorant", "milk.",
})  # fmt: skip
# Two-word items whose words are also items on their own: never split ("peanut butter").
COMPOUNDS = (
    "peanut butter", "toilet paper", "paper towels", "dog food", "cat food", "ice cream", "oat milk",
    "almond milk", "soy milk", "olive oil", "hot sauce", "green beans", "sour cream", "cream cheese",
    "orange juice", "apple juice", "coffee beans", "chicken breast", "ground beef", "bin bags", "dish soap",
    "hand soap", "baking soda", "tomato sauce", "chocolate chips", "fish sauce", "rice cakes", "sweet potatoes",
    "bell peppers", "spring onions", "green tea", "tea bags", "ice cream", "cat litter",
)  # fmt: skip


def _split_run(part: str) -> list[str]:
    """'eggs milk bread' -> ['eggs', 'milk', 'bread'] when every word is a grocery word."""
    words = part.split()
    if len(words) < 2 or any(re.search(r"\d", w) for w in words):
        return [part]
    low = [w.lower().strip(".,!") for w in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        pair = " ".join(low[i : i + 2])
        if pair in COMPOUNDS:
            out.append(" ".join(words[i : i + 2]))
            i += 2
            continue
        if low[i] not in GROCERY_WORDS:
            return [part]
        out.append(words[i])
        i += 1
    return out if len(out) > 1 else [part]


def split_items(text: str) -> list[str]:
    """'milk, eggs and bread' -> ['milk', 'eggs', 'bread'] (keeps 'mac and cheese' whole); a run
    of grocery words without commas ('oats bananas and yogurt') is split too."""
    protected = text
    for i, phrase in enumerate(KEEP_TOGETHER):
        protected = re.sub(re.escape(phrase), f"\x00{i}\x00", protected, flags=re.IGNORECASE)
    parts = re.split(r"\s*(?:,|;|\n|\+|&|\band\b|\bplus\b|\balso\b|\bthen\b)\s*", protected, flags=re.IGNORECASE)
    out: list[str] = []
    for part in parts:
        restored = re.sub(r"\x00(\d+)\x00", lambda m: KEEP_TOGETHER[int(m.group(1))], part)
        cleaned = restored.strip(" .!?-:\"'")
        if cleaned:
            out.extend(_split_run(cleaned))
    return out


def parse_item(raw: str) -> tuple[str, str | None]:
    """'2 apples' -> ('apples', '2'); 'a loaf of bread' -> ('bread', '1 loaf'); 'milk' -> ('milk', None)."""
    raw = re.sub(r"\s+", " ", raw.strip())
    trailing = RE_TRAILING_QTY.match(raw)
    if trailing:
        return trailing.group("name").strip(), trailing.group("q") or trailing.group("q2")
    m = RE_ITEM.match(raw)
    if not m:
        return raw, None
    qty_word = (m.group("q") or "").lower()
    qty_word = re.sub(r"\s+", " ", qty_word)
    unit = (m.group("unit") or "").lower()
    name = m.group("name").strip()
    if not name or (not qty_word and not unit):
        return raw, None
    qty = WORD_QTY.get(qty_word, qty_word) if qty_word else None
    if unit == "dozen" and qty:
        qty = str(int(qty) * 12) if qty.isdigit() else qty
        unit = ""
    quantity: str | None
    if unit:
        quantity = f"{qty or '1'} {unit}"
    elif qty in (None, "1") and qty_word in ("a", "an", "one", "some", ""):
        quantity = "1" if qty_word == "one" else None
    else:
        quantity = qty
    return name, quantity


def grocery_entries(text: str) -> list[dict[str, str | None]]:
    """Entries for add_groceries: [{"name": "bread", "quantity": "1 loaf"}, ...] (deduplicated)."""
    seen: set[str] = set()
    entries: list[dict[str, str | None]] = []
    for raw in split_items(text):
        name, quantity = parse_item(raw)
        name = re.sub(r"^(?:the|my|some|more)\s+", "", name, flags=re.IGNORECASE).strip()
        name = re.sub(r"(?i)\s+(?:again|too|as well|please|pls|now|asap|thanks|thx)$", "", name).strip()[:120]
        if not name or name.lower() in seen:
            continue
        seen.add(name.lower())
        entry: dict[str, str | None] = {"name": name, "quantity": quantity}
        entries.append(entry)
    return entries[:50]
