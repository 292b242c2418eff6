"""The password policy and hashing."""

from __future__ import annotations

import pytest

from personal_assistant.auth.passwords import (
    check_password_policy,
    common_passwords,
    hash_password,
    password_problem,
    verify_password,
)
from personal_assistant.core.errors import ValidationFailed
from tests.auth.helpers import STRONG_PASSWORD, new_email, signup


@pytest.mark.parametrize(
    "password",
    ["password1234", "123456789012", "qwertyuiopas", "PASSWORD1234", "iloveyou1234", "letmein12345", "aaaaaaaaaaaaa"],
)
def test_common_and_trivial_passwords_are_refused(password):
    assert password_problem(password) is not None


def test_the_common_list_is_a_few_thousand_lowercase_entries():
    entries = common_passwords()
    assert len(entries) > 3000
    assert all(e == e.lower() for e in entries)


def test_length_bounds_and_email():
    assert "at least 12" in password_problem("Sh0rt!pass")
    assert "at most 128" in password_problem("x" * 100 + "y" * 29)
    assert password_problem("sam.jones@example.org", email="Sam.Jones@example.org") is not None
    assert password_problem(STRONG_PASSWORD, email="sam@example.org") is None


def test_policy_error_names_the_field():
    with pytest.raises(ValidationFailed) as caught:
        check_password_policy("short", field="new_password")
    assert caught.value.fields and "new_password" in caught.value.fields


def test_argon2_hash_roundtrip():
    hashed = hash_password(STRONG_PASSWORD)
    assert hashed.startswith("$argon2")
    assert verify_password(STRONG_PASSWORD, hashed)
    assert not verify_password(STRONG_PASSWORD + "x", hashed)
    assert not verify_password(STRONG_PASSWORD, None)


@pytest.mark.parametrize(
    ("password", "why"),
    [("short-one", "at least 12"), ("password1234", "too common"), ("qwertyuiopas", "too common")],
)
async def test_signup_refuses_weak_passwords_naming_the_field(client, password, why):
    response = await client.post("/api/v1/auth/signup", json={"email": new_email(), "password": password})
    assert response.status_code == 422
    error = response.json()["error"]
    assert why in error["fields"]["password"]


async def test_signup_refuses_the_email_as_password(client):
    email = new_email("longenoughname")
    response = await client.post("/api/v1/auth/signup", json={"email": email, "password": email})
    assert response.status_code == 422
    assert "email" in response.json()["error"]["fields"]["password"]


async def test_a_good_password_signs_up(client):
    body = await signup(client)
    assert body["user"]["role"] == "standard"
