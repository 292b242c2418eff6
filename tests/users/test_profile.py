"""GET/PATCH /api/v1/me."""

from __future__ import annotations

import pytest


async def test_get_me_shows_profile_settings_and_phone(client, make_user):
    user = await make_user(timezone="America/New_York", name="Ana")
    me = await client.get("/api/v1/me", headers=user.headers)
    assert me.status_code == 200
    body = me.json()
    assert body["email"] == user.email and body["name"] == "Ana" and body["role"] == "standard"
    assert body["timezone"] == "America/New_York"
    assert body["phones"][0]["e164"] == user.phone and body["phones"][0]["verified"] is True
    assert body["mfa_enabled"] is False


async def test_patch_updates_settings(client, make_user):
    user = await make_user()
    changes = {
        "name": "Ana B",
        "timezone": "europe/paris",
        "quiet_hours_start": "22:00",
        "quiet_hours_end": "7:00",
        "checkins_enabled": True,
        "morning_checkin_time": "08:15",
        "evening_checkin_time": "21:00",
        "escalation_minutes": 15,
        "escalation_max": 2,
        "catchup_minutes": 60,
        "currency": "eur",
    }
    response = await client.patch("/api/v1/me", json=changes, headers=user.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["timezone"] == "Europe/Paris"
    assert (body["quiet_hours_start"], body["quiet_hours_end"]) == ("22:00", "07:00")
    assert body["morning_checkin_time"] == "08:15" and body["checkins_enabled"] is True
    assert (body["escalation_minutes"], body["escalation_max"], body["catchup_minutes"]) == (15, 2, 60)
    assert body["currency"] == "EUR"
    again = (await client.get("/api/v1/me", headers=user.headers)).json()
    assert again["name"] == "Ana B"
    # clearing quiet hours
    cleared = await client.patch(
        "/api/v1/me", json={"quiet_hours_start": None, "quiet_hours_end": None}, headers=user.headers
    )
    assert cleared.json()["quiet_hours_start"] is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"timezone": "Pacific Time"}, "timezone"),
        ({"timezone": "Mars/Base"}, "timezone"),
        ({"quiet_hours_start": "25:00", "quiet_hours_end": "07:00"}, "quiet_hours_start"),
        ({"quiet_hours_start": "10pm", "quiet_hours_end": "07:00"}, "quiet_hours_start"),
        ({"quiet_hours_start": "22:00"}, "quiet_hours_end"),
        ({"escalation_minutes": 0}, "escalation_minutes"),
        ({"escalation_max": 50}, "escalation_max"),
        ({"currency": "dollars"}, "currency"),
        ({"email": "new@example.com"}, "email"),
        ({"role": "admin"}, "role"),
    ],
)
async def test_invalid_changes_name_the_field_and_change_nothing(client, make_user, changes, field):
    user = await make_user(timezone="UTC")
    response = await client.patch("/api/v1/me", json={"name": "Changed", **changes}, headers=user.headers)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    me = (await client.get("/api/v1/me", headers=user.headers)).json()
    assert me["name"] != "Changed" and me["timezone"] == "UTC" and me["role"] == "standard"


async def test_me_requires_authentication(client):
    assert (await client.get("/api/v1/me")).status_code == 401
    assert (await client.get("/api/v1/me", headers={"Authorization": "Bearer junk"})).status_code == 401
