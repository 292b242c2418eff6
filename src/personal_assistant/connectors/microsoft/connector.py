"""Microsoft's OAuth through msal: auth-code flow with PKCE (msal adds S256 itself), form_post
callback, one serialized token cache per user (it holds the rotating refresh token).

Every ConfidentialClientApplication construction fetches the OIDC metadata: the shared
`http_cache` keeps that to one request per process, while each call gets its own app and the
person's own cache (no shared mutable token cache between threads)."""

from __future__ import annotations

import json
from typing import Any

import msal

from personal_assistant.config import get_settings
from personal_assistant.connectors.base import AuthorizeStart, ConnectorError, ReconnectRequired, TokenSet
from personal_assistant.connectors.http import TimeoutSession
from personal_assistant.core import resilience

SCOPES = ("User.Read", "Calendars.ReadWrite", "Mail.Read")
_HTTP_CACHE: dict[Any, Any] = {}
# Errors of acquire_token_silent_with_error after which only the person can help.
FINAL_ERRORS = {"invalid_grant", "interaction_required", "consent_required", "login_required"}


def _http() -> TimeoutSession:
    s = get_settings()
    rewrite = None
    if s.microsoft_authority_rewrite:
        from urllib.parse import urlsplit

        parts = urlsplit(s.microsoft_authority)
        rewrite = (f"{parts.scheme}://{parts.netloc}", s.microsoft_authority_rewrite.rstrip("/"))
    return TimeoutSession(s.connector_timeout_seconds, rewrite)


def _app(cache: msal.SerializableTokenCache | None = None) -> msal.ConfidentialClientApplication:
    s = get_settings()
    return msal.ConfidentialClientApplication(
        s.microsoft_client_id,
        client_credential=s.microsoft_client_secret,
        authority=s.microsoft_authority,
        token_cache=cache,
        http_client=_http(),
        http_cache=_HTTP_CACHE,
        instance_discovery=False if s.microsoft_authority_rewrite else None,
    )


def _cache(blob: str | None) -> msal.SerializableTokenCache:
    cache = msal.SerializableTokenCache()
    if blob:
        cache.deserialize(blob)
    return cache


class MicrosoftConnector:
    name: str = "microsoft"
    label: str = "Microsoft 365"
    scope_words: tuple[str, ...] = (
        "See your name and email address",
        "See and add events on your Outlook calendar",
        "Read your mail (to count unread mail and show senders and subjects; never stored)",
    )
    revocable: bool = False  # Microsoft has no per-app revoke endpoint
    remove_access_url: str | None = "https://account.live.com/consent/Manage"

    def configured(self) -> bool:
        s = get_settings()
        return bool(s.microsoft_client_id and s.microsoft_client_secret)

    async def authorize(self, state: str, redirect_uri: str) -> AuthorizeStart:
        def start() -> dict[str, Any]:
            return dict(
                _app().initiate_auth_code_flow(
                    list(SCOPES), redirect_uri=redirect_uri, state=state, response_mode="form_post"
                )
            )

        flow = await resilience.guarded_sync("microsoft", start)  # the first app fetches OIDC metadata
        return AuthorizeStart(url=flow["auth_uri"], secret=json.dumps(flow))

    async def exchange(self, params: dict[str, str], secret: str, redirect_uri: str) -> TokenSet:
        flow = json.loads(secret)
        cache = _cache(None)

        def redeem() -> dict[str, Any]:
            return dict(_app(cache).acquire_token_by_auth_code_flow(flow, params))

        try:
            result = await resilience.guarded_sync("microsoft", redeem)
        except (ValueError, RuntimeError) as exc:  # state or nonce mismatch
            raise ConnectorError("the sign-in response did not match") from exc
        if "error" in result:
            raise ConnectorError(str(result.get("error")))
        claims = result.get("id_token_claims") or {}
        label = claims.get("preferred_username") or claims.get("email")
        scope = result.get("scope") or list(SCOPES)
        return TokenSet(
            scopes=scope.split() if isinstance(scope, str) else list(scope),
            account_label=str(label)[:320] if label else None,
            token_cache=cache.serialize(),
        )

    async def refresh(self, tokens: TokenSet) -> TokenSet:
        """An access token from the person's cache (msal refreshes it when near expiry)."""
        cache = _cache(tokens.token_cache)

        def silent() -> dict[str, Any] | None:
            app = _app(cache)
            accounts = app.get_accounts()
            if not accounts:
                return None
            result = app.acquire_token_silent_with_error(list(SCOPES), account=accounts[0])
            return dict(result) if result else None

        result = await resilience.guarded_sync("microsoft", silent)
        if result is None:
            raise ReconnectRequired("no account in the token cache")
        if "error" in result:
            if result["error"] in FINAL_ERRORS:
                raise ReconnectRequired(str(result["error"]))
            raise resilience.ProviderUnavailable("microsoft", "error")
        return TokenSet(
            access_token=result.get("access_token"),
            scopes=tokens.scopes,
            account_label=tokens.account_label,
            token_cache=cache.serialize() if cache.has_state_changed else tokens.token_cache,
        )

    async def revoke(self, tokens: TokenSet) -> None:
        return None  # nothing to call: deleting the cache locally is all an app can do
