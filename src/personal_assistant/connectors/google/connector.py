"""Google's OAuth: authorization code with PKCE S256 (the verifier is kept server-side), token
refresh through google-auth, revoke through the revoke endpoint."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from typing import Any

from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request as GoogleRequest
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import Flow

from personal_assistant.config import get_settings
from personal_assistant.connectors.base import AuthorizeStart, ConnectorError, ReconnectRequired, TokenSet
from personal_assistant.connectors.http import TimeoutSession
from personal_assistant.core import resilience

# Google grants what the person ticked, which may differ from what was asked (include_granted_scopes):
# record the granted set instead of letting oauthlib raise "Scope has changed".
os.environ.setdefault("OAUTHLIB_RELAX_TOKEN_SCOPE", "1")

SCOPES = (
    "openid",
    "https://www.googleapis.com/auth/userinfo.email",
    "https://www.googleapis.com/auth/calendar.events",
    "https://www.googleapis.com/auth/calendar.readonly",
    "https://www.googleapis.com/auth/gmail.readonly",
    "https://www.googleapis.com/auth/youtube.readonly",
)


def endpoints() -> dict[str, str]:
    base = get_settings().google_oauth_base_url
    if base:
        base = base.rstrip("/")
        return {"auth": f"{base}/o/oauth2/auth", "token": f"{base}/token", "revoke": f"{base}/revoke"}
    return {
        "auth": "https://accounts.google.com/o/oauth2/auth",
        "token": "https://oauth2.googleapis.com/token",
        "revoke": "https://oauth2.googleapis.com/revoke",
    }


def _client_config(redirect_uri: str) -> dict[str, Any]:
    s = get_settings()
    urls = endpoints()
    return {
        "web": {
            "client_id": s.google_client_id,
            "client_secret": s.google_client_secret,
            "auth_uri": urls["auth"],
            "token_uri": urls["token"],
            "redirect_uris": [redirect_uri],
        }
    }


def _session() -> TimeoutSession:
    return TimeoutSession(get_settings().connector_timeout_seconds)


def credentials(tokens: TokenSet) -> Credentials:
    s = get_settings()
    expiry = tokens.expires_at.astimezone(UTC).replace(tzinfo=None) if tokens.expires_at else None  # naive UTC
    return Credentials(
        token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        token_uri=endpoints()["token"],
        client_id=s.google_client_id,
        client_secret=s.google_client_secret,
        scopes=tokens.scopes or None,
        expiry=expiry,
    )


class GoogleConnector:
    name: str = "google"
    label: str = "Google"
    scope_words: tuple[str, ...] = (
        "See your email address",
        "See and add events on your calendars",
        "Read your Gmail (to count unread mail and show senders and subjects; never stored)",
        "Search YouTube for you",
    )
    revocable: bool = True
    remove_access_url: str | None = "https://myaccount.google.com/permissions"

    def configured(self) -> bool:
        s = get_settings()
        return bool(s.google_client_id and s.google_client_secret)

    async def authorize(self, state: str, redirect_uri: str) -> AuthorizeStart:
        flow = Flow.from_client_config(_client_config(redirect_uri), scopes=list(SCOPES), redirect_uri=redirect_uri)
        # access_type=offline for a refresh token; prompt=consent so a reconnect gets a new one.
        url, _ = flow.authorization_url(state=state, access_type="offline", prompt="consent",
                                        include_granted_scopes="true")
        return AuthorizeStart(url=url, secret=json.dumps({"code_verifier": flow.code_verifier}))

    async def exchange(self, params: dict[str, str], secret: str, redirect_uri: str) -> TokenSet:
        if "code" not in params:
            raise ConnectorError(params.get("error", "no authorization code"))
        verifier = json.loads(secret)["code_verifier"]
        flow = Flow.from_client_config(
            _client_config(redirect_uri), scopes=list(SCOPES), redirect_uri=redirect_uri, code_verifier=verifier
        )

        def fetch() -> dict[str, Any]:
            return dict(flow.fetch_token(code=params["code"], timeout=get_settings().connector_timeout_seconds))

        try:
            token = await resilience.guarded_sync("google", fetch)
        except resilience.ProviderUnavailable:
            raise
        except Exception as exc:  # oauthlib's errors: invalid_grant, bad verifier ...
            raise ConnectorError(type(exc).__name__) from exc
        expires_in = token.get("expires_in")
        scope = token.get("scope") or list(SCOPES)
        return TokenSet(
            access_token=token.get("access_token"),
            refresh_token=token.get("refresh_token"),
            expires_at=datetime.now(UTC) + timedelta(seconds=int(expires_in)) if expires_in else None,
            scopes=scope.split() if isinstance(scope, str) else list(scope),
            account_label=_email_from_id_token(token.get("id_token")),
        )

    async def refresh(self, tokens: TokenSet) -> TokenSet:
        if not tokens.refresh_token:
            raise ReconnectRequired("no refresh token")
        creds = credentials(tokens)

        def run() -> None:
            creds.refresh(GoogleRequest(_session()))

        try:
            await resilience.guarded_sync("google", run, transient=_transient_refresh)
        except RefreshError as exc:
            # invalid_grant: revoked, expired (testing mode: 7 days) or password change.
            raise ReconnectRequired("invalid_grant" if "invalid_grant" in str(exc) else "refresh refused") from exc
        expiry = creds.expiry.replace(tzinfo=UTC) if creds.expiry else None
        return TokenSet(
            access_token=creds.token,
            refresh_token=creds.refresh_token or tokens.refresh_token,
            expires_at=expiry,
            scopes=tokens.scopes,
            account_label=tokens.account_label,
        )

    async def revoke(self, tokens: TokenSet) -> None:
        token = tokens.refresh_token or tokens.access_token
        if not token:
            return
        client = resilience.http_client("google")

        async def post() -> None:
            response = await client.post(endpoints()["revoke"], data={"token": token},
                                         timeout=get_settings().connector_timeout_seconds)
            if response.status_code >= 500:
                response.raise_for_status()

        await resilience.guarded("google", post)


def _transient_refresh(exc: BaseException) -> bool:
    # A RefreshError is final unless google-auth marks it retryable (a 5xx from the token endpoint).
    if isinstance(exc, RefreshError):
        return bool(getattr(exc, "retryable", False))
    return resilience.is_transient(exc)


def _email_from_id_token(id_token: str | None) -> str | None:
    """The account's email for the Connections page. The id_token came straight from Google's
    token endpoint over TLS, so its payload is read without verifying the signature."""
    if not id_token or id_token.count(".") < 2:
        return None
    import base64

    payload = id_token.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return None
    email = claims.get("email")
    return str(email)[:320] if email else None
