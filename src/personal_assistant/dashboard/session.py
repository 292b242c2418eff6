"""The browser session: a signed cookie, and the middleware that turns it into a Principal.

The cookie holds a random session id, the CSRF secret, and (once signed in) the user id plus a
fingerprint of the password hash, signed with HMAC-SHA256 under a key derived from SECRET_KEY.
It is HttpOnly, SameSite=Lax, and Secure outside development. A signed-in session id is also a
server-side row (auth.browser_sessions): every request checks that row and the user, so logging
out (here or everywhere), a disabled or deleted account, or a changed password, ends the
session even for a copy of the cookie.

The middleware sets `request.state.session_principal` (read by `auth.principal.current_principal`)
and `request.state.dashboard_session`. The REST API keeps bearer tokens: for unsafe methods on
/api/ the cookie is ignored, because only dashboard forms carry a CSRF token.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field

import structlog
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from personal_assistant.auth.principal import Principal
from personal_assistant.config import get_settings
from personal_assistant.db.session import sessionmaker

log = structlog.get_logger("dashboard.session")

COOKIE_NAME = "pa_session"
SESSION_SECONDS = 14 * 24 * 3600
ANONYMOUS_SECONDS = 24 * 3600
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# No cookie work at all on these: machine endpoints and static files.
SKIP_PREFIXES = ("/webhooks/", "/static/", "/health", "/ready", "/metrics")


def _key() -> bytes:
    return hashlib.sha256(b"dashboard-session:" + get_settings().secret_key.encode()).digest()


def _sign(payload: bytes) -> str:
    return hmac.new(_key(), payload, hashlib.sha256).hexdigest()


def password_fingerprint(password_hash: str | None) -> str:
    """Changes when the password changes, without revealing anything about it."""
    return hmac.new(_key(), (password_hash or "").encode(), hashlib.sha256).hexdigest()[:16]


@dataclass
class BrowserSession:
    sid: str = field(default_factory=lambda: secrets.token_urlsafe(32))  # a secret: see above
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    issued_at: int = field(default_factory=lambda: int(time.time()))
    user_id: str | None = None
    fingerprint: str | None = None
    mfa_token: str | None = None  # first factor passed, TOTP code pending (short-lived JWT)
    next_path: str | None = None
    flash: str | None = None
    # Not serialized: whether the cookie must be (re)written, and whether it came from the browser.
    changed: bool = False
    from_cookie: bool = False

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    def csrf_token(self) -> str:
        """The token forms embed. Reading it makes sure the browser keeps this session."""
        if not self.from_cookie:
            self.changed = True
        return self.csrf

    def sign_in(self, user_id: uuid.UUID, password_hash: str | None) -> None:
        """A fresh session id and CSRF secret at sign-in, so a planted cookie is useless. The
        caller records the id on the server (auth.start_browser_session); until then the cookie
        signs nobody in."""
        flash, next_path = self.flash, self.next_path
        self.__dict__.update(BrowserSession().__dict__)
        self.user_id = str(user_id)
        self.fingerprint = password_fingerprint(password_hash)
        self.flash = flash
        self.next_path = next_path
        self.changed = True

    def start_mfa(self, mfa_token: str) -> None:
        """Remember the auth service's proof of the first factor until the code is entered."""
        self.mfa_token = mfa_token
        self.changed = True

    def sign_out(self) -> None:
        self.__dict__.update(BrowserSession().__dict__)
        self.changed = True

    def password_changed(self, password_hash: str | None) -> None:
        """Keep this browser signed in after its own password change."""
        self.fingerprint = password_fingerprint(password_hash)
        self.changed = True

    def set_flash(self, text: str) -> None:
        self.flash = text
        self.changed = True

    def pop_flash(self) -> str | None:
        text, self.flash = self.flash, None
        if text:
            self.changed = True
        return text

    def encode(self) -> str:
        data = {
            "sid": self.sid,
            "csrf": self.csrf,
            "iat": self.issued_at,
            "uid": self.user_id,
            "fp": self.fingerprint,
            "mfa": self.mfa_token,
            "next": self.next_path,
            "flash": self.flash,
        }
        payload = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")
        return f"{payload}.{_sign(payload.encode())}"

    @classmethod
    def decode(cls, value: str) -> BrowserSession | None:
        payload, _, signature = value.partition(".")
        if not payload or not hmac.compare_digest(signature, _sign(payload.encode())):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except (ValueError, binascii.Error):
            return None
        lifetime = SESSION_SECONDS if data.get("uid") else ANONYMOUS_SECONDS
        if not isinstance(data.get("iat"), int) or data["iat"] + lifetime < time.time():
            return None
        return cls(
            sid=data["sid"],
            csrf=data["csrf"],
            issued_at=data["iat"],
            user_id=data.get("uid"),
            fingerprint=data.get("fp"),
            mfa_token=data.get("mfa"),
            next_path=data.get("next"),
            flash=data.get("flash"),
            from_cookie=True,
        )


def cookie_header(session: BrowserSession, *, secure: bool) -> bytes:
    parts = [f"{COOKIE_NAME}={session.encode()}", "Path=/", "HttpOnly", "SameSite=Lax"]
    lifetime = SESSION_SECONDS if session.authenticated else ANONYMOUS_SECONDS
    parts.append(f"Max-Age={lifetime}")
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


def _read_cookie(scope: Scope) -> str | None:
    # Starlette's lenient parser: one malformed cookie from another app on the same host must
    # not hide ours (http.cookies.SimpleCookie stops at the first bad one).
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            found = cookie_parser(value.decode("latin-1")).get(COOKIE_NAME)
            if found:
                return found
    return None


async def _principal_for(session: BrowserSession) -> Principal | None:
    """The signed-in user, if the session was not ended on the server, and the account still
    exists, is active and has the same password."""
    from personal_assistant.auth.browser_sessions import live_browser_session, session_principal

    try:
        user_id = uuid.UUID(session.user_id or "")
    except ValueError:
        return None
    async with sessionmaker()() as db:
        found = await live_browser_session(db, user_id, session.sid)
        await db.commit()  # last_seen_at, at most every few minutes
    if found is None:
        return None
    row, user = found
    if not hmac.compare_digest(session.fingerprint or "", password_fingerprint(user.password_hash)):
        return None
    return session_principal(row, user)


class DashboardSessionMiddleware:
    """Reads the session cookie, exposes it on request.state, and writes it back when it changed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(SKIP_PREFIXES):
            await self.app(scope, receive, send)
            return
        raw = _read_cookie(scope)
        session = (BrowserSession.decode(raw) if raw else None) or BrowserSession()
        if raw and not session.from_cookie:
            session.changed = True  # replace an expired or forged cookie
        state = scope.setdefault("state", {})
        state["dashboard_session"] = session
        api_write = path.startswith("/api/") and scope.get("method", "GET") not in SAFE_METHODS
        if session.authenticated and not api_write:
            try:
                principal = await _principal_for(session)
            except Exception as exc:  # database down: the page fails on its own; keep the cookie
                log.warning("dashboard.session_check_failed", error_type=type(exc).__name__)
            else:
                if principal is None:
                    log.info("dashboard.session_ended", reason="user_gone_or_password_changed")
                    session.sign_out()
                else:
                    state["session_principal"] = principal
        secure = not get_settings().is_development

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and session.changed:
                headers = list(message.get("headers", []))
                headers.append((b"set-cookie", cookie_header(session, secure=secure)))
                headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_cookie)
