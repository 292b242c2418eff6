"""Settings: insecure defaults are refused outside development, secrets can come from files."""

from __future__ import annotations

import pytest

from personal_assistant.config import DEV_ENCRYPTION_KEYS, DEV_SECRET_KEY, ConfigError, Settings
from personal_assistant.core.crypto import generate_key

STRONG = {
    "secret_key": "x" * 48,
    "encryption_keys": f"1:{generate_key()}",
    "public_base_url": "https://assistant.example.org",
}


def test_development_accepts_the_defaults():
    Settings(environment="development").check_secure()


@pytest.mark.parametrize(
    ("name", "insecure"),
    [
        ("secret_key", DEV_SECRET_KEY),
        ("secret_key", "short"),
        ("encryption_keys", DEV_ENCRYPTION_KEYS),
        ("public_base_url", "http://localhost:8000"),
    ],
)
def test_production_refuses_a_default_secret_and_names_it(name, insecure):
    with pytest.raises(ConfigError) as err:
        Settings(environment="production", **{**STRONG, name: insecure}).check_secure()
    assert name.upper() in str(err.value)


def test_production_with_real_secrets_starts():
    Settings(environment="production", **STRONG).check_secure()


def test_twilio_without_an_auth_token_is_refused_outside_development():
    with pytest.raises(ConfigError, match="TWILIO_AUTH_TOKEN"):
        Settings(environment="staging", sms_transport="twilio", **STRONG).check_secure()


def test_secrets_are_read_from_files(tmp_path):
    (tmp_path / "secret_key").write_text("s" * 40)
    settings = Settings(_secrets_dir=str(tmp_path))
    assert settings.secret_key == "s" * 40


def test_database_urls_from_hosting_panels_use_the_async_drivers():
    assert Settings(database_url="postgres://u@h/db").database_url == "postgresql+asyncpg://u@h/db"
    assert Settings(database_url="sqlite:///x.db").database_url == "sqlite+aiosqlite:///x.db"
