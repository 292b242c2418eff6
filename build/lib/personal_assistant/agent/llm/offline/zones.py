"""Time-zone names as people say them -> IANA zones ("Pacific" -> America/Los_Angeles)."""

from __future__ import annotations

import re
import zoneinfo
from functools import lru_cache

ALIASES = {
    # North America
    "pacific": "America/Los_Angeles", "pt": "America/Los_Angeles", "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles", "west coast": "America/Los_Angeles", "california": "America/Los_Angeles",
    "la": "America/Los_Angeles", "los angeles": "America/Los_Angeles", "san francisco": "America/Los_Angeles",
    "sf": "America/Los_Angeles", "seattle": "America/Los_Angeles", "portland": "America/Los_Angeles",
    "mountain": "America/Denver", "mt": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver",
    "denver": "America/Denver", "arizona": "America/Phoenix", "phoenix": "America/Phoenix",
    "central": "America/Chicago", "ct": "America/Chicago", "cst": "America/Chicago", "cdt": "America/Chicago",
    "chicago": "America/Chicago", "texas": "America/Chicago", "dallas": "America/Chicago",
    "houston": "America/Chicago", "austin": "America/Chicago",
    "eastern": "America/New_York", "et": "America/New_York", "est": "America/New_York",
    "edt": "America/New_York", "east coast": "America/New_York", "new york": "America/New_York",
    "nyc": "America/New_York", "ny": "America/New_York", "boston": "America/New_York",
    "miami": "America/New_York", "atlanta": "America/New_York", "washington dc": "America/New_York",
    "dc": "America/New_York", "philadelphia": "America/New_York", "toronto": "America/Toronto",
    "montreal": "America/Toronto", "vancouver": "America/Vancouver", "alaska": "America/Anchorage",
    "akst": "America/Anchorage", "hawaii": "Pacific/Honolulu", "hst": "Pacific/Honolulu",
    "atlantic": "America/Halifax", "newfoundland": "America/St_Johns", "mexico city": "America/Mexico_City",
    "mexico": "America/Mexico_City",
    # South America
    "sao paulo": "America/Sao_Paulo", "brazil": "America/Sao_Paulo", "buenos aires": "America/Argentina/Buenos_Aires",
    "argentina": "America/Argentina/Buenos_Aires", "bogota": "America/Bogota", "lima": "America/Lima",
    "santiago": "America/Santiago",
    # Europe and Africa
    "utc": "UTC", "gmt": "Europe/London", "uk": "Europe/London", "britain": "Europe/London",
    "england": "Europe/London", "bst": "Europe/London", "london": "Europe/London", "ireland": "Europe/Dublin",
    "dublin": "Europe/Dublin", "lisbon": "Europe/Lisbon", "portugal": "Europe/Lisbon",
    "cet": "Europe/Berlin", "cest": "Europe/Berlin", "central european": "Europe/Berlin",
    "germany": "Europe/Berlin", "berlin": "Europe/Berlin", "munich": "Europe/Berlin", "paris": "Europe/Paris",
    "france": "Europe/Paris", "madrid": "Europe/Madrid", "spain": "Europe/Madrid", "barcelona": "Europe/Madrid",
    "rome": "Europe/Rome", "italy": "Europe/Rome", "milan": "Europe/Rome", "amsterdam": "Europe/Amsterdam",
    "netherlands": "Europe/Amsterdam", "brussels": "Europe/Brussels", "zurich": "Europe/Zurich",
    "switzerland": "Europe/Zurich", "vienna": "Europe/Vienna", "stockholm": "Europe/Stockholm",
    "sweden": "Europe/Stockholm", "oslo": "Europe/Oslo", "copenhagen": "Europe/Copenhagen",
    "warsaw": "Europe/Warsaw", "poland": "Europe/Warsaw", "prague": "Europe/Prague",
    "eet": "Europe/Athens", "athens": "Europe/Athens", "greece": "Europe/Athens", "helsinki": "Europe/Helsinki",
    "finland": "Europe/Helsinki", "kyiv": "Europe/Kyiv", "kiev": "Europe/Kyiv", "ukraine": "Europe/Kyiv",
    "istanbul": "Europe/Istanbul", "turkey": "Europe/Istanbul", "moscow": "Europe/Moscow",
    "msk": "Europe/Moscow", "cairo": "Africa/Cairo", "egypt": "Africa/Cairo", "lagos": "Africa/Lagos",
    "nigeria": "Africa/Lagos", "nairobi": "Africa/Nairobi", "kenya": "Africa/Nairobi",
    "johannesburg": "Africa/Johannesburg", "south africa": "Africa/Johannesburg", "sast": "Africa/Johannesburg",
    # Asia and Oceania
    "dubai": "Asia/Dubai", "uae": "Asia/Dubai", "gst": "Asia/Dubai", "karachi": "Asia/Karachi",
    "pakistan": "Asia/Karachi", "ist": "Asia/Kolkata", "india": "Asia/Kolkata", "indian": "Asia/Kolkata",
    "kolkata": "Asia/Kolkata", "calcutta": "Asia/Kolkata", "mumbai": "Asia/Kolkata", "bombay": "Asia/Kolkata",
    "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata", "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata", "chennai": "Asia/Kolkata", "hyderabad": "Asia/Kolkata",
    "dhaka": "Asia/Dhaka", "bangladesh": "Asia/Dhaka", "bangkok": "Asia/Bangkok", "thailand": "Asia/Bangkok",
    "jakarta": "Asia/Jakarta", "singapore": "Asia/Singapore", "sgt": "Asia/Singapore",
    "kuala lumpur": "Asia/Kuala_Lumpur", "manila": "Asia/Manila", "philippines": "Asia/Manila",
    "hong kong": "Asia/Hong_Kong", "hk": "Asia/Hong_Kong", "china": "Asia/Shanghai", "beijing": "Asia/Shanghai",
    "shanghai": "Asia/Shanghai", "taipei": "Asia/Taipei", "taiwan": "Asia/Taipei", "seoul": "Asia/Seoul",
    "korea": "Asia/Seoul", "kst": "Asia/Seoul", "tokyo": "Asia/Tokyo", "japan": "Asia/Tokyo", "jst": "Asia/Tokyo",
    "sydney": "Australia/Sydney", "aest": "Australia/Sydney", "aedt": "Australia/Sydney",
    "melbourne": "Australia/Melbourne", "canberra": "Australia/Sydney", "brisbane": "Australia/Brisbane",
    "queensland": "Australia/Brisbane", "adelaide": "Australia/Adelaide", "perth": "Australia/Perth",
    "awst": "Australia/Perth", "darwin": "Australia/Darwin", "auckland": "Pacific/Auckland",
    "new zealand": "Pacific/Auckland", "nz": "Pacific/Auckland", "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland",
}  # fmt: skip


@lru_cache(maxsize=1)
def _iana_index() -> dict[str, str]:
    """'europe/berlin' -> 'Europe/Berlin' and 'berlin' -> 'Europe/Berlin' for every known zone."""
    index: dict[str, str] = {}
    for name in sorted(zoneinfo.available_timezones()):
        index.setdefault(name.lower(), name)
        leaf = name.rsplit("/", 1)[-1].replace("_", " ").lower()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/")):
            index.setdefault(leaf, name)
    return index


def resolve_zone(text: str) -> str | None:
    """The IANA zone a user means by `text`, or None when unsure."""
    cleaned = text.strip().lower().strip(" .!?")
    cleaned = re.sub(r"^(?:to|in|is|=|:)\s+", "", cleaned)
    cleaned = re.sub(r"\s+(?:time|time\s*zone|timezone|tz|now|please|pls|thanks)$", "", cleaned)
    cleaned = re.sub(r"\s+(?:standard|daylight)$", "", cleaned)
    cleaned = re.sub(r"^(?:the\s+)", "", cleaned).strip()
    if not cleaned:
        return None
    if cleaned in ALIASES:
        return ALIASES[cleaned]
    index = _iana_index()
    if cleaned in index:
        return index[cleaned]
    if cleaned.replace(" ", "_") in index:
        return index[cleaned.replace(" ", "_")]
    # "Berlin, Germany", "London UK": try each comma/space separated piece
    for piece in re.split(r"[,/]\s*|\s+", cleaned):
        if piece in ALIASES and len(piece) > 2:
            return ALIASES[piece]
        if piece in index and len(piece) > 3:
            return index[piece]
    return None
