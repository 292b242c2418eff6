"""The Connector protocol: what every provider sub-package implements.

The OAuth framework (oauth.py) drives it; each method that talks to the provider is called
with no database transaction open, through the resilience layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class ReconnectRequired(Exception):
    """The provider refused the stored grant for good (invalid_grant, revoked consent): only the
    person can fix it, by connecting again."""


class ConnectorError(Exception):
    """The provider answered the OAuth exchange with an error (shown to the person, no tokens kept)."""


@dataclass
class TokenSet:
    access_token: str | None = None
    refresh_token: str | None = None
    expires_at: datetime | None = None
    scopes: list[str] = field(default_factory=list)
    account_label: str | None = None
    token_cache: str | None = None  # MSAL's serialized per-user cache (it holds the refresh token)
    settings: dict[str, str] = field(default_factory=dict)


@dataclass
class AuthorizeStart:
    url: str
    secret: str  # what the callback needs and the browser must not see (PKCE verifier, MSAL flow)


class Connector(Protocol):
    name: str  # "google" | "microsoft" | "notion"
    label: str
    scope_words: tuple[str, ...]  # the scopes in plain words, shown before connecting
    revocable: bool  # disconnect can revoke at the provider
    remove_access_url: str | None  # where a person removes the app's access themselves

    def configured(self) -> bool: ...

    async def authorize(self, state: str, redirect_uri: str) -> AuthorizeStart: ...

    async def exchange(self, params: dict[str, str], secret: str, redirect_uri: str) -> TokenSet: ...

    async def refresh(self, tokens: TokenSet) -> TokenSet:
        """New tokens; raises ReconnectRequired when the grant is gone for good."""
        ...

    async def revoke(self, tokens: TokenSet) -> None: ...
