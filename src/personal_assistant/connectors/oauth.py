"""The OAuth framework: authorize (state bound to the user, expiring, single use; PKCE where
the provider has it), callback (refuses a wrong, reused or expired state and stores nothing),
tokens encrypted at rest, refresh before expiry, disconnect with revoke.

No database transaction is open while a provider is called: every function reads and commits,
calls, then writes the result in a new transaction.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import asdict
from datetime import timedelta

from personal_assistant.config import get_settings
from personal_assistant.connectors.base import ConnectorError, ReconnectRequired, TokenSet
from personal_assistant.connectors.registry import get_connector
from personal_assistant.connectors.repository import (
    ConnectorRepository,
    OAuthStateRepository,
    claim_state,
    state_by_hash,
)
from personal_assistant.core import clock, resilience
from personal_assistant.core.crypto import decrypt, encrypt, hash_token, random_token
from personal_assistant.core.errors import AppError, NotFound, ServiceUnavailable
from personal_assistant.db.models import Connector, OAuthState
from personal_assistant.db.session import session_scope

log = logging.getLogger("personal_assistant.connectors")
REFRESH_MARGIN = timedelta(minutes=5)  # refresh an access token this long before it expires


class InvalidState(AppError):
    status_code = 400
    code = "invalid_state"


def redirect_uri(provider: str) -> str:
    return f"{get_settings().public_base_url.rstrip('/')}/oauth/{provider}/callback"


def dashboard_link(provider: str | None = None) -> str:
    base = f"{get_settings().public_base_url.rstrip('/')}/connections"
    return f"{base}#{provider}" if provider else base


# --- tokens at rest ----------------------------------------------------------------------------
def _aad(user_id: uuid.UUID, provider: str) -> bytes:
    # Bound to the row's owner and provider: a ciphertext copied to another row does not decrypt.
    return f"connector:{user_id}:{provider}".encode()


def key_version_of(ciphertext: str) -> int:
    return int(ciphertext.partition(":")[0].removeprefix("v"))


def seal(row: Connector, tokens: TokenSet) -> None:
    """Write `tokens` into `row`, encrypted under the newest key."""
    aad = _aad(row.user_id, row.provider)
    row.access_token_encrypted = encrypt(tokens.access_token, associated_data=aad) if tokens.access_token else None
    row.refresh_token_encrypted = encrypt(tokens.refresh_token, associated_data=aad) if tokens.refresh_token else None
    row.token_cache_encrypted = encrypt(tokens.token_cache, associated_data=aad) if tokens.token_cache else None
    row.key_version = key_version_of(encrypt("", associated_data=aad))
    row.expires_at = tokens.expires_at
    if tokens.scopes:
        row.scopes = list(tokens.scopes)
    if tokens.account_label:
        row.account_label = tokens.account_label


def unseal(row: Connector) -> TokenSet:
    aad = _aad(row.user_id, row.provider)

    def open_(value: str | None) -> str | None:
        return decrypt(value, associated_data=aad) if value else None

    return TokenSet(
        access_token=open_(row.access_token_encrypted),
        refresh_token=open_(row.refresh_token_encrypted),
        token_cache=open_(row.token_cache_encrypted),
        expires_at=row.expires_at,
        scopes=list(row.scopes or []),
        account_label=row.account_label,
        settings=dict(row.settings or {}),
    )


def reseal(row: Connector) -> bool:
    """Re-encrypt a row's tokens under the newest key (key rotation); False when already there."""
    tokens = unseal(row)
    before = row.key_version
    seal(row, tokens)
    return row.key_version != before


# --- authorize and callback --------------------------------------------------------------------
async def start_authorize(user_id: uuid.UUID, provider: str) -> str:
    """The provider's consent URL for this user; the state and PKCE verifier stay server-side."""
    connector = get_connector(provider)
    if not connector.configured():
        raise ServiceUnavailable(f"{connector.label} is not set up on this server yet", code="not_configured")
    state = random_token()
    try:
        start = await connector.authorize(state, redirect_uri(provider))
    except resilience.ProviderUnavailable as exc:
        raise ServiceUnavailable(f"{connector.label} is not answering, try again in a minute") from exc
    state_hash = hash_token(state)
    async with session_scope() as session:
        await OAuthStateRepository(session, user_id).add(
            OAuthState(
                provider=provider,
                state_hash=state_hash,
                flow_encrypted=encrypt(start.secret, associated_data=state_hash.encode()),
                expires_at=clock.now() + timedelta(minutes=get_settings().oauth_state_minutes),
            )
        )
    return start.url


async def complete_callback(provider: str, params: dict[str, str], signed_in: uuid.UUID | None) -> uuid.UUID:
    """Redeem the provider's redirect: returns the user it connected. A state that is unknown,
    for another provider or user, used or expired is refused, and nothing is stored."""
    connector = get_connector(provider)
    state = params.get("state") or ""
    if not state:
        raise InvalidState("This sign-in link is not valid. Start again from Connections.")
    state_hash = hash_token(state)
    async with session_scope() as session:
        row = await state_by_hash(session, state_hash)
        if row is None or row.provider != provider or (signed_in is not None and row.user_id != signed_in):
            raise InvalidState("This sign-in link is not valid. Start again from Connections.")
        # Spent now, whatever the exchange does: a replayed redirect is refused.
        if not await claim_state(session, row.id, clock.now()):
            raise InvalidState("This sign-in link was already used or has expired. Start again from Connections.")
        user_id = row.user_id
        secret = decrypt(row.flow_encrypted, associated_data=state_hash.encode())
    if params.get("error"):
        raise ConnectorError(params["error"])
    tokens = await connector.exchange(params, secret, redirect_uri(provider))
    async with session_scope() as session:
        repo = ConnectorRepository(session, user_id)
        account = await repo.for_provider(provider)
        if account is None:
            account = Connector(provider=provider, user_id=user_id, scopes=[], settings={})
            account.user_id = user_id
        seal(account, tokens)
        account.status = "connected"
        account.consented_at = clock.now()
        account.last_error = None
        account.health_notified_at = None
        account.settings = {**(account.settings or {}), **tokens.settings}
        if account not in session:
            await repo.add(account)
    log.info("connector connected", extra={"user_id": str(user_id), "provider": provider})
    return user_id


# --- using and ending a connection -------------------------------------------------------------
async def fresh_tokens(user_id: uuid.UUID, provider: str) -> TokenSet:
    """Usable tokens for one call, refreshed first when they expire within REFRESH_MARGIN.

    Raises NotFound when not connected, ReconnectRequired (after marking the connector) when the
    grant is gone for good, ProviderUnavailable when the provider cannot be reached."""
    async with session_scope() as session:
        account = await ConnectorRepository(session, user_id).for_provider(provider)
        if account is None or account.status != "connected":
            raise NotFound("connector")
        tokens = unseal(account)
    connector = get_connector(provider)
    stale = provider == "microsoft" or (
        tokens.expires_at is not None and tokens.expires_at - clock.now() < REFRESH_MARGIN
    ) or (provider == "google" and not tokens.access_token)
    if not stale:
        return tokens
    try:
        fresh = await connector.refresh(tokens)
    except ReconnectRequired as exc:
        from personal_assistant.connectors import health

        await health.mark_broken(user_id, provider, str(exc))
        raise
    fresh.settings = tokens.settings
    if asdict(fresh) != asdict(tokens):
        async with session_scope() as session:
            account = await ConnectorRepository(session, user_id).for_provider(provider)
            if account is not None:
                seal(account, fresh)
    return fresh


async def disconnect(user_id: uuid.UUID, provider: str) -> bool:
    """Revoke at the provider where it can, then delete locally. Returns whether the provider
    revoked (False: the person removes access there; see remove_access_url)."""
    connector = get_connector(provider)
    async with session_scope() as session:
        account = await ConnectorRepository(session, user_id).for_provider(provider)
        if account is None:
            raise NotFound("connector")
        tokens = unseal(account)
    revoked = False
    if connector.revocable:
        try:
            await connector.revoke(tokens)
            revoked = True
        except Exception as exc:  # a provider down must not keep the person connected
            log.warning("connector revoke failed", extra={"user_id": str(user_id), "provider": provider,
                                                          "error": type(exc).__name__})
    async with session_scope() as session:
        repo = ConnectorRepository(session, user_id)
        account = await repo.for_provider(provider)
        if account is not None:
            await repo.delete(account)
    log.info("connector disconnected", extra={"user_id": str(user_id), "provider": provider})
    return revoked
