"""Password hashing (Argon2 via pwdlib) and the password policy.

Policy (SPEC §9): 12 to 128 characters, not in the common-password list, not the email address.
The upper bound keeps hashing cost bounded for hostile input.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError

from personal_assistant.core.errors import ValidationFailed

MIN_LENGTH = 12
MAX_LENGTH = 128

_hasher = PasswordHash.recommended()
# Verified when an account does not exist, so a login for an unknown email costs as much as a real one.
_DUMMY_HASH = _hasher.hash("timing-equaliser-not-a-password")


@lru_cache
def common_passwords() -> frozenset[str]:
    text = resources.files("personal_assistant.auth").joinpath("common_passwords.txt").read_text()
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when the password matches. A missing hash still costs one Argon2 verification."""
    if not password_hash:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    try:
        return _hasher.verify(password, password_hash)
    except UnknownHashError:
        return False


def password_problem(password: str, *, email: str | None = None) -> str | None:
    """Why the password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters"
    lowered = password.lower()
    if lowered in common_passwords() or lowered.strip() in common_passwords():
        return "is too common; choose something less guessable (a few random words work well)"
    if re.fullmatch(r"(.)\1*", password):
        return "must not repeat a single character"
    if email:
        email = email.strip().lower()
        if lowered in (email, email.partition("@")[0]):
            return "must not be your email address"
    return None


def check_password_policy(password: str, *, email: str | None = None, field: str = "password") -> None:
    """Raise ValidationFailed naming `field` when the password breaks the policy."""
    problem = password_problem(password, email=email)
    if problem:
        raise ValidationFailed(f"{field} {problem}", fields={field: problem})
