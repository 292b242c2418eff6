"""What every dashboard page shares: templates, the database session, the signed-in user, CSRF,
and turning domain errors into calm HTML pages instead of JSON."""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import quote

import structlog
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.config import get_settings
from personal_assistant.core.errors import AppError, NotFound, RateLimited
from personal_assistant.dashboard import formatting
from personal_assistant.dashboard.session import SAFE_METHODS, BrowserSession
from personal_assistant.db.models import User
from personal_assistant.db.session import get_session

log = structlog.get_logger("dashboard")

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters.update(formatting.FILTERS)
templates.env.globals["app_name"] = lambda: get_settings().app_name
templates.env.globals["is_development"] = lambda: get_settings().is_development


# Pages load only their own CSS and JS files: no inline script or style, nothing from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


class LoginRequired(Exception):
    """Raised by `current_user` when nobody is signed in: the page redirects to /login."""


class CsrfRefused(Exception):
    """A state-changing request without the session's CSRF token."""


class PageNotFound(Exception):
    pass


def browser_session(request: Request) -> BrowserSession:
    session = getattr(request.state, "dashboard_session", None)
    if session is None:  # the middleware is not installed (should not happen): refuse to guess
        raise CsrfRefused()
    return session


# The request's one unit of work (deps.SessionDep's dependency): committed after the page
# handler returns and before the response is sent, so the page a redirect leads to sees it; an
# error raised by the handler (even one shown as an HTML page) rolls it back first.
DB = Depends(get_session, scope="function")


async def current_user(request: Request, session: AsyncSession = DB) -> User:
    """The signed-in user, loaded in this page's unit of work; else a redirect to /login."""
    principal = getattr(request.state, "session_principal", None)
    if principal is None:
        raise LoginRequired()
    user = await session.get(User, principal.user_id)
    if user is None or not user.is_active:
        raise LoginRequired()
    await session.commit()  # end the identity read: no transaction waits on a page's network call
    request.state.dashboard_user = user
    request.state.user_id = str(user.id)  # for the access log
    return user


async def optional_user(request: Request, session: AsyncSession = DB) -> User | None:
    principal = getattr(request.state, "session_principal", None)
    if principal is None:
        return None
    return await current_user(request, session)


async def csrf_protect(request: Request) -> None:
    """Every state-changing dashboard request must carry the session's CSRF token, in the form
    field `csrf_token` or the `X-CSRF-Token` header (fetch from app.js)."""
    if request.method in SAFE_METHODS:
        return
    session = browser_session(request)
    sent = request.headers.get("x-csrf-token")
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
    if not (session.from_cookie and sent and hmac.compare_digest(sent, session.csrf)):
        log.info("dashboard.csrf_refused", path=request.url.path)
        raise CsrfRefused()


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200,
           *, form_targets: list[str] | None = None) -> HTMLResponse:
    """A page. `form_targets`: other origins its forms may end up at (form-action)."""
    session = browser_session(request)
    ctx: dict[str, Any] = {
        "user": getattr(request.state, "dashboard_user", None),
        "csrf_token": session.csrf_token(),
        "flash": session.pop_flash(),
        "path": request.url.path,
        "errors": {},
        "values": {},
    }
    ctx.update(context or {})
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    response.headers["cache-control"] = "no-store"
    policy = CONTENT_SECURITY_POLICY
    if form_targets:
        policy = policy.replace("form-action 'self'", " ".join(["form-action 'self'", *form_targets]))
    response.headers["content-security-policy"] = policy
    return response


def redirect(request: Request, to: str, flash: str | None = None) -> RedirectResponse:
    """Post/Redirect/Get: 303 so the browser follows with GET."""
    if flash:
        browser_session(request).set_flash(flash)
    return RedirectResponse(to, status_code=303)


def safe_next(value: str | None, default: str = "/") -> str:
    """Only same-site paths, never //evil.example or a scheme."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    return value


def parse_id(value: str) -> uuid.UUID:
    """A path id; anything that is not a UUID is simply not found."""
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise NotFound() from exc


async def form_data(request: Request) -> dict[str, str]:
    """The submitted form as plain strings (trimmed), without the CSRF token."""
    form = await request.form()
    return {k: v.strip() for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


async def undo(session: AsyncSession, *keep: object) -> None:
    """Roll back a failed form's changes and reload `keep` (e.g. the user) so the page showing
    the errors can still read them."""
    await session.rollback()
    for obj in keep:
        await session.refresh(obj)


def field_errors(exc: AppError) -> dict[str, str]:
    """Map a service's field errors to the form's field names; always say something."""
    return dict(exc.fields or {"_form": exc.message})


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    try:
        return render(request, "error.html", {"title": title, "message": message}, status_code=status)
    except Exception:  # never let the error page itself fail
        log.exception("dashboard.error_page_failed")
        return HTMLResponse(f"<h1>{title}</h1>", status_code=status)


# Machine endpoints keep their JSON errors even when a browser happens to ask.
JSON_ONLY_PREFIXES = ("/api/", "/webhooks/", "/metrics", "/health", "/ready", "/openapi.json")


def wants_html(request: Request) -> bool:
    """A person's browser navigating to a page (Accept: text/html), not an API client."""
    if request.url.path.startswith(JSON_ONLY_PREFIXES):
        return False
    return "text/html" in request.headers.get("accept", "")


async def not_found_page(request: Request) -> Response:
    """The site's own 404 page for an unknown address, with the menu of whoever is signed in."""
    from personal_assistant.db.session import session_scope

    if getattr(request.state, "dashboard_session", None) is None:
        request.state.dashboard_session = BrowserSession()  # a path the session middleware skips
    principal = getattr(request.state, "session_principal", None)
    if principal is not None and getattr(request.state, "dashboard_user", None) is None:
        try:
            async with session_scope() as session:
                request.state.dashboard_user = await session.get(User, principal.user_id)
        except Exception:  # the database is down: still say "not found", signed out
            log.warning("dashboard.not_found_user_lookup_failed")
    return _error_page(
        request,
        404,
        "Page not found",
        "There is no page at this address. It may have moved, or the link has a typo.",
    )


class DashboardRoute(APIRoute):
    """Renders errors as pages: signed out -> /login, CSRF -> 403, not found -> 404, and any
    domain error -> its status with its message. The page's unit of work is already rolled back
    (the session dependency saw the error first)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired:
                if request.method == "GET" and request.url.path != "/":
                    return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
                return RedirectResponse("/login", status_code=303)
            except CsrfRefused:
                return _error_page(
                    request,
                    403,
                    "This form has expired",
                    "For your safety nothing was changed. Go back, reload the page and try again.",
                )
            except (NotFound, PageNotFound):
                return _error_page(request, 404, "Not found", "We could not find that. It may have been deleted.")
            except RateLimited as exc:
                response = _error_page(request, 429, "Slow down a little", exc.message)
                response.headers["retry-after"] = str(exc.retry_after)
                return response
            except AppError as exc:
                return _error_page(request, exc.status_code, "That did not work", exc.message)

        return handle


def dashboard_router() -> APIRouter:
    """A router whose every route renders errors as pages and checks CSRF on every POST."""
    return APIRouter(
        route_class=DashboardRoute,
        dependencies=[Depends(csrf_protect)],
        include_in_schema=False,
    )


CurrentUser = Depends(current_user)
OptionalUser = Depends(optional_user)
