"""Safety: where the user is (for the right crisis line).

country_for() reads the country from the phone number's calling code, else from the IANA zone.
"""

from __future__ import annotations

# E.164 calling codes of the countries whose crisis lines we name; longest prefix first wins.
# +1 is shared by the US, Canada and the Caribbean: the zone decides between them (below).
_CALLING_CODES = {
    "+353": "IE",
    "+44": "GB",
    "+61": "AU",
    "+64": "NZ",
    "+1": "US",
}
_ZONE_PREFIXES = (
    ("Europe/London", "GB"),
    ("Europe/Belfast", "GB"),
    ("Europe/Dublin", "IE"),
    ("Australia/", "AU"),
    ("Pacific/Auckland", "NZ"),
    ("Pacific/Chatham", "NZ"),
    ("America/Toronto", "CA"),
    ("America/Vancouver", "CA"),
    ("America/Edmonton", "CA"),
    ("America/Winnipeg", "CA"),
    ("America/Halifax", "CA"),
    ("America/St_Johns", "CA"),
    ("America/Regina", "CA"),
    ("Canada/", "CA"),
    ("US/", "US"),
    ("America/New_York", "US"),
    ("America/Chicago", "US"),
    ("America/Denver", "US"),
    ("America/Phoenix", "US"),
    ("America/Los_Angeles", "US"),
    ("America/Anchorage", "US"),
    ("America/Detroit", "US"),
    ("America/Indiana/", "US"),
    ("America/Kentucky/", "US"),
    ("America/Boise", "US"),
    ("Pacific/Honolulu", "US"),
)


def _country_of_zone(tz_name: str | None) -> str | None:
    for prefix, country in _ZONE_PREFIXES:
        if tz_name and tz_name.startswith(prefix):
            return country
    return None


def country_for(phone: str | None, tz_name: str | None) -> str | None:
    """ISO 3166 alpha-2 code of the user's country when the phone or the zone tells, else None."""
    zone_country = _country_of_zone(tz_name)
    for code in sorted(_CALLING_CODES, key=len, reverse=True):
        if phone and phone.startswith(code):
            country = _CALLING_CODES[code]
            if code == "+1" and zone_country == "CA":
                return "CA"
            return country
    return zone_country
