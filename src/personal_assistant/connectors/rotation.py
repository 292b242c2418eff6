"""Key rotation: re-encrypt every stored secret under the newest ENCRYPTION_KEYS version.

Without downtime: the operator first deploys ENCRYPTION_KEYS with the new version added (the
newest encrypts, every listed version decrypts; `assistant keys add` prints the value), then runs
`assistant keys rotate`. Rows are re-encrypted in batches, each its own short transaction, so
a server keeps reading rows of either version throughout; an interrupted rotation resumes
where it stopped (only rows not yet under the newest key are selected). When it reports zero
left, the old version may be removed from ENCRYPTION_KEYS.

Covered: connector tokens and MSAL caches (bound to their row by associated data), pending OAuth
states, TOTP secrets, and outbound texts kept sealed until sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select

from personal_assistant.config import get_settings
from personal_assistant.connectors.oauth import reseal
from personal_assistant.core.crypto import decrypt, encrypt, parse_keys
from personal_assistant.db.models import Connector, Message, MfaSecret, OAuthState
from personal_assistant.db.session import session_scope


def newest_version() -> int:
    return max(parse_keys(get_settings().encryption_keys))


@dataclass
class Column:
    """One encrypted column: how to find stale rows and re-encrypt one."""

    name: str
    model: Any
    attr: str
    aad: Callable[[Any], bytes | None] = lambda row: None

    def stale(self, version: int) -> Any:
        col = getattr(self.model, self.attr)
        return (col.is_not(None)) & (~col.like(f"v{version}:%"))

    def reencrypt(self, row: Any) -> None:
        value = getattr(row, self.attr)
        aad = self.aad(row)
        setattr(row, self.attr, encrypt(decrypt(value, associated_data=aad), associated_data=aad))


COLUMNS = (
    Column("oauth_states", OAuthState, "flow_encrypted", lambda row: row.state_hash.encode()),
    Column("mfa_secrets", MfaSecret, "secret_encrypted"),
    Column("messages", Message, "sealed_body"),
)


@dataclass
class Summary:
    key_version: int
    reencrypted: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    remaining: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"key_version": self.key_version, "reencrypted": self.reencrypted, "failed": self.failed,
                "total_reencrypted": sum(self.reencrypted.values()), "remaining": self.remaining}


def _connector_stale(version: int) -> Any:
    return or_(
        Connector.key_version != version,
        *(getattr(Connector, c).is_not(None) & ~getattr(Connector, c).like(f"v{version}:%")
          for c in ("access_token_encrypted", "refresh_token_encrypted", "token_cache_encrypted")),
    )


async def count_stale() -> int:
    version = newest_version()
    async with session_scope() as session:
        total = int((await session.execute(select(func.count()).select_from(Connector)
                                           .where(_connector_stale(version)))).scalar_one())
        for col in COLUMNS:
            total += int((await session.execute(select(func.count()).select_from(col.model)
                                                .where(col.stale(version)))).scalar_one())
    return total


async def rotate(batch_size: int = 500, progress: Callable[[int], None] | None = None) -> Summary:
    version = newest_version()
    summary = Summary(version)
    jobs: list[tuple[str, Any, Any, Callable[[Any], object]]] = [
        ("connectors", Connector, _connector_stale(version), lambda row: reseal(row)),
    ]
    jobs += [(c.name, c.model, c.stale(version), c.reencrypt) for c in COLUMNS]
    for name, model, stale, redo in jobs:
        done = failed = 0
        after: uuid.UUID | None = None
        while True:
            async with session_scope() as session:  # one short transaction per batch
                stmt = select(model).where(stale).order_by(model.id).limit(batch_size)
                if after is not None:
                    stmt = stmt.where(model.id > after)
                rows = list((await session.execute(stmt)).scalars())
                for row in rows:
                    try:
                        redo(row)
                        done += 1
                    except Exception:  # undecryptable (a key removed too early): counted, left as is
                        failed += 1
            if rows:
                after = rows[-1].id
                if progress:
                    progress(len(rows))
            if len(rows) < batch_size:
                break
        summary.reencrypted[name] = done
        if failed:
            summary.failed[name] = failed
    summary.remaining = await count_stale()
    return summary
