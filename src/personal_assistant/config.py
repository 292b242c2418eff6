"""The one settings object. Values come from the environment or from files in /run/secrets.

Outside development, a missing or default secret stops start-up with a message naming it.
"""

from __future__ import annotations

import base64
from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRETS_DIR = Path("/run/secrets")

# Development defaults. They are fine on a laptop and refused anywhere else.
DEV_SECRET_KEY = "dev-insecure-secret-key-change-me-0123456789"
DEV_ENCRYPTION_KEYS = "1:" + base64.urlsafe_b64encode(b"dev-insecure-encryption-key-32b!").decode()


class ConfigError(RuntimeError):
    """Raised when the configuration cannot be used in this environment."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        extra="ignore",
        secrets_dir=str(SECRETS_DIR) if SECRETS_DIR.is_dir() else None,
    )

    environment: Literal["development", "staging", "production"] = "development"
    app_name: str = "ADHD Assistant"
    log_level: str = "INFO"
    log_json: bool = True

    database_url: str = "sqlite+aiosqlite:///./data/assistant.db"
    database_pool_size: int = 10
    redis_url: str | None = None

    secret_key: str = DEV_SECRET_KEY
    # "VERSION:BASE64KEY,VERSION:BASE64KEY"; the highest version encrypts, every version decrypts.
    encryption_keys: str = DEV_ENCRYPTION_KEYS
    public_base_url: str = "http://localhost:8000"
    cors_origins: list[str] = Field(default_factory=list)

    access_token_minutes: int = 15
    refresh_token_days: int = 30
    magic_link_minutes: int = 15
    phone_code_minutes: int = 10
    phone_code_max_attempts: int = 5
    login_rate_limit: str = "10/minute"
    magic_link_rate_limit: str = "5/hour"

    # SMS
    sms_transport: Literal["auto", "console", "twilio"] = "auto"
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_shared_number: str | None = None
    twilio_api_base_url: str | None = None  # only for pointing the real client at a fake server
    twilio_timeout_seconds: float = 10.0
    sms_send_interval_seconds: float = 1.0
    sms_price_per_segment_usd: str = "0.0083"

    # LLM
    gemini_api_key: str | None = None
    gemini_model: str = "gemini-2.5-flash"
    gemini_base_url: str | None = None  # only for a fake server in tests
    gemini_timeout_seconds: float = 20.0
    gemini_daily_token_quota: int = 200_000
    agent_max_steps: int = 6
    agent_tool_timeout_seconds: float = 10.0
    # offline_first: the offline brain answers what it understands with high confidence (0 tokens)
    # and Gemini takes the rest; llm_first: Gemini plans every turn it can.
    agent_routing: Literal["offline_first", "llm_first"] = "offline_first"

    # OAuth connectors
    google_client_id: str | None = None
    google_client_secret: str | None = None
    microsoft_client_id: str | None = None
    microsoft_client_secret: str | None = None
    microsoft_authority: str = "https://login.microsoftonline.com/common"
    notion_client_id: str | None = None
    notion_client_secret: str | None = None

    # Email (magic links). Without SMTP_HOST mails go to the log (console transport).
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "assistant@localhost"
    smtp_starttls: bool = True
    smtp_timeout_seconds: float = 10.0

    # Scheduling defaults for new users
    default_timezone: str = "UTC"
    default_currency: str = "USD"
    default_escalation_minutes: int = 10
    default_escalation_max: int = 3
    default_catchup_minutes: int = 120
    default_morning_checkin: time = time(8, 30)
    default_evening_checkin: time = time(20, 30)
    scheduler_enabled: bool = True  # embedded mode: run jobs inside `assistant serve`
    reminder_tick_seconds: float = 2.0  # bounds steady-state lateness (SPEC: p99 within 5 s)
    reminder_batch_size: int = 50
    reminder_lease_seconds: int = 60

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        # Accept the URLs people copy from hosting panels and use the async drivers.
        if value.startswith("postgres://"):
            value = "postgresql://" + value.removeprefix("postgres://")
        if value.startswith("postgresql://"):
            value = "postgresql+asyncpg://" + value.removeprefix("postgresql://")
        if value.startswith("sqlite:///"):
            value = "sqlite+aiosqlite:///" + value.removeprefix("sqlite:///")
        return value

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def embedded(self) -> bool:
        """No broker configured: jobs run in-process."""
        return not self.redis_url

    @property
    def effective_sms_transport(self) -> Literal["console", "twilio"]:
        if self.sms_transport == "auto":
            return "twilio" if self.twilio_account_sid and self.twilio_auth_token else "console"
        return self.sms_transport

    def check_secure(self) -> None:
        """Refuse insecure defaults outside development, naming what is wrong."""
        if self.is_development:
            return
        problems = []
        if not self.secret_key or self.secret_key == DEV_SECRET_KEY or len(self.secret_key) < 32:
            problems.append("SECRET_KEY is missing, the development default, or shorter than 32 characters")
        if not self.encryption_keys or self.encryption_keys == DEV_ENCRYPTION_KEYS:
            problems.append("ENCRYPTION_KEYS is missing or the development default")
        if self.public_base_url.startswith("http://localhost"):
            problems.append("PUBLIC_BASE_URL still points at localhost")
        if self.effective_sms_transport == "twilio" and not self.twilio_auth_token:
            problems.append("TWILIO_AUTH_TOKEN is missing")
        if problems:
            raise ConfigError(f"refusing to start in {self.environment}: " + "; ".join(problems))


@lru_cache
def get_settings() -> Settings:
    return Settings()


def reset_settings_cache() -> None:
    """For tests and the CLI: re-read the environment on the next get_settings()."""
    get_settings.cache_clear()
