"""The one settings object. Values come from the environment or from files in /run/secrets.

Outside development, a missing or default secret stops start-up with a message naming it.
"""

from __future__ import annotations

import base64
import ipaddress
from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
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
    # The address `assistant serve` binds (it sets SERVED_URL for itself and its workers). In
    # development, with no PUBLIC_BASE_URL given, links in texts and emails follow it, so
    # `make run PORT=9000` links to port 9000. Elsewhere PUBLIC_BASE_URL must be set.
    served_url: str | None = None
    cors_origins: list[str] = Field(default_factory=list)
    # Proxies whose X-Forwarded-For/Proto are believed (comma-separated IPs or CIDRs, passed to
    # uvicorn). Empty: no proxy is trusted, the client address is the socket's peer.
    forwarded_allow_ips: str = ""
    # Outside development /metrics answers only `Authorization: Bearer <METRICS_TOKEN>` (403
    # without a configured token); in development it is open.
    metrics_token: str | None = None
    # OpenAPI (/docs, /openapi.json): None = on in development, off elsewhere.
    docs_enabled: bool | None = None

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
    # Agent turns per phone; a text over it is answered when the window reopens.
    sms_inbound_rate_per_phone: str = "20/minute"

    # The durable pipeline (sms/outbox.py, sms/sweep.py, agent/lock.py)
    outbox_lease_seconds: float = 45.0  # longer than any one dispatch (pacing wait excluded)
    sweep_every_seconds: float = 10.0
    redrive_after_seconds: float = 30.0  # a text still unanswered this long is answered again
    inbound_max_age_hours: float = 6.0  # older unanswered texts are marked expired, not answered
    turn_lease_seconds: float = 15.0  # a user's turn lock, renewed while the turn runs
    turn_lock_wait_seconds: float = 20.0  # bounded wait for it; then the sweep retries later
    embedded_job_concurrency: int = 4  # in-process jobs at once in the embedded mode
    # REST API: how long an Idempotency-Key and its answer are kept (core/idempotency.py).
    idempotency_key_hours: float = 24.0

    # LLM
    gemini_api_key: str | None = None
    gemini_model: str = "gemini-2.5-flash"
    gemini_base_url: str | None = None  # only for a fake server in tests
    gemini_timeout_seconds: float = 20.0
    gemini_daily_token_quota: int = 200_000
    # Memory embeddings (on when GEMINI_API_KEY is set and this is true).
    memory_embeddings: bool = True
    memory_embedding_model: str = "gemini-embedding-001"
    memory_embedding_dimensions: int = 768
    memory_embedding_batch: int = 64
    memory_embedding_base_url: str | None = None  # a fake server in tests/benchmarks; else GEMINI_BASE_URL
    # Memory upkeep: near-duplicate merging, weight decay, expiry (memory/upkeep.py).
    memory_upkeep_seconds: float = 6 * 3600.0
    memory_retention_days: int | None = None  # default for users who set none; None keeps forever
    # Cost estimates in `assistant stats` (USD per million tokens; gemini-2.5-flash list prices).
    llm_price_per_million_input_usd: str = "0.30"
    llm_price_per_million_output_usd: str = "2.50"
    agent_max_steps: int = 6
    agent_tool_timeout_seconds: float = 10.0
    # offline_first: the offline brain answers what it understands with high confidence (0 tokens)
    # and Gemini takes the rest; llm_first: Gemini plans every turn it can.
    agent_routing: Literal["offline_first", "llm_first"] = "offline_first"

    # External providers (core/resilience.py): every guarded call to Gemini, Twilio, the connectors,
    # YouTube and web search. A request's timeout; the deadline of a whole call (retries and waits
    # included); failures in a row that open a provider's circuit breaker, and for how long; the
    # backoff between attempts; calls per user and provider.
    provider_timeout_seconds: float = 10.0
    provider_deadline_seconds: float = 20.0
    provider_breaker_threshold: int = 5
    provider_breaker_ttl_seconds: float = 30.0
    provider_backoff_seconds: float = 0.25
    provider_backoff_max_seconds: float = 2.0
    provider_user_rate_limit: str = "60/minute"
    # Agent tools without an account (agent/tools/web.py). ddgs' backend ("auto": its metasearch
    # over several engines; or e.g. "duckduckgo"), an optional proxy ("tb" is Tor) and a CA bundle
    # to trust instead of the system roots (a TLS-inspecting proxy; the tests' fake).
    # YOUTUBE_BASE_URL only points the transcript client at a fake server in tests.
    web_search_max_results: int = 5
    web_search_backend: str = "auto"
    web_search_proxy: str | None = None
    web_search_ca_file: str | None = None
    youtube_base_url: str | None = None

    # OAuth connectors
    google_client_id: str | None = None
    google_client_secret: str | None = None
    microsoft_client_id: str | None = None
    microsoft_client_secret: str | None = None
    microsoft_authority: str = "https://login.microsoftonline.com/common"
    notion_client_id: str | None = None
    notion_client_secret: str | None = None
    # Provider endpoints: the real ones by default; tests point them at local fake servers.
    google_oauth_base_url: str | None = None  # None: accounts.google.com + oauth2.googleapis.com
    google_api_base_url: str | None = None  # None: each API's own googleapis.com endpoint
    microsoft_graph_base_url: str = "https://graph.microsoft.com/v1.0"
    # msal insists on an https authority: this rewrites its scheme://host to a local fake.
    microsoft_authority_rewrite: str | None = None
    notion_base_url: str = "https://api.notion.com"
    connector_timeout_seconds: float = 8.0
    oauth_state_minutes: int = 10
    calendar_sync_minutes: float = 5.0  # how often upcoming events are pulled per connected user
    calendar_reminder_lead_minutes: int = 15  # default lead time of a pre-event reminder

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

    @model_validator(mode="after")
    def _public_url_follows_the_server(self) -> Settings:
        if self.is_development and self.served_url and "public_base_url" not in self.model_fields_set:
            self.public_base_url = self.served_url
        return self

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def docs_on(self) -> bool:
        return self.is_development if self.docs_enabled is None else self.docs_enabled

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
        problem = _public_url_problem(self.public_base_url)
        if problem:
            problems.append(f"PUBLIC_BASE_URL {problem}")
        if self.effective_sms_transport == "twilio" and not self.twilio_auth_token:
            problems.append("TWILIO_AUTH_TOKEN is missing")
        if problems:
            raise ConfigError(f"refusing to start in {self.environment}: " + "; ".join(problems))


def _public_url_problem(url: str) -> str | None:
    """Twilio signs the URL it calls and texts carry links: outside development it must be the
    public https address, never this machine."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        return "must start with https://"
    host = (parts.hostname or "").lower()
    if not host:
        return "has no host"
    if host == "localhost" or host.endswith(".localhost"):
        return "points at localhost"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if address.is_loopback or address.is_unspecified or address.is_link_local:
        return "points at a loopback or local address"
    return None


def url_for_bind(host: str, port: int) -> str:
    """The URL a browser on this machine uses for a server bound to host:port ("0.0.0.0" and
    "::" listen everywhere: reach them as localhost)."""
    host = (host or "").strip()
    if host in ("", "0.0.0.0", "::", "[::]"):  # noqa: S104 - naming the wildcard, not binding it
        host = "localhost"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 literal
    return f"http://{host}:{port}"


@lru_cache
def get_settings() -> Settings:
    return Settings()


def reset_settings_cache() -> None:
    """For tests and the CLI: re-read the environment on the next get_settings()."""
    get_settings.cache_clear()
