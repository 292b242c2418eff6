"""AES-256-GCM with versioned keys, for tokens at rest.

Ciphertext format: "v{version}:{base64url(nonce || ciphertext+tag)}". The newest key encrypts;
every configured key decrypts, so keys rotate without downtime (`assistant keys rotate`
re-encrypts stored values under the newest key).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from personal_assistant.config import ConfigError, get_settings


class DecryptionError(Exception):
    pass


def parse_keys(spec: str) -> dict[int, bytes]:
    keys: dict[int, bytes] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        version, _, encoded = part.partition(":")
        try:
            key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            number = int(version)
        except ValueError as exc:
            raise ConfigError(f"ENCRYPTION_KEYS entry {version!r} is not VERSION:BASE64KEY") from exc
        if len(key) != 32:
            raise ConfigError(f"ENCRYPTION_KEYS version {version} must be 32 bytes (AES-256)")
        keys[number] = key
    if not keys:
        raise ConfigError("ENCRYPTION_KEYS is empty")
    return keys


@lru_cache
def _keyring(spec: str) -> dict[int, bytes]:
    return parse_keys(spec)


def encrypt(plaintext: str, *, associated_data: bytes | None = None) -> str:
    keys = _keyring(get_settings().encryption_keys)
    version = max(keys)
    nonce = os.urandom(12)
    sealed = AESGCM(keys[version]).encrypt(nonce, plaintext.encode(), associated_data)
    return f"v{version}:" + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str, *, associated_data: bytes | None = None) -> str:
    keys = _keyring(get_settings().encryption_keys)
    prefix, _, body = token.partition(":")
    try:
        version = int(prefix.removeprefix("v"))
        raw = base64.urlsafe_b64decode(body)
        return AESGCM(keys[version]).decrypt(raw[:12], raw[12:], associated_data).decode()
    except Exception as exc:  # KeyError, ValueError, binascii.Error, cryptography's InvalidTag
        raise DecryptionError("cannot decrypt value (unknown key version or tampered data)") from exc


def generate_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def random_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def hash_token(token: str) -> str:
    """Keyed hash for lookup of secrets stored hashed (refresh, API, magic-link tokens, codes)."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()
