"""Enums more than one module's API models share. Each is one component of the OpenAPI document
(a Literal written in two models would be two enums in every generated client)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    standard = "standard"
    admin = "admin"


class Direction(StrEnum):
    inbound = "inbound"
    outbound = "outbound"


class Channel(StrEnum):
    sms = "sms"
    web = "web"


class Period(StrEnum):
    """Calendar periods in the user's zone (weeks start on Monday)."""

    day = "day"
    week = "week"
    month = "month"
