"""HTTP only: the connector routes (SPEC §3). The OAuth rules live in oauth.py."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from personal_assistant.connectors import oauth, service
from personal_assistant.connectors.base import ConnectorError
from personal_assistant.connectors.registry import get_connector
from personal_assistant.connectors.schemas import AuthorizeOut, ConnectorOut, ConnectorProvider, DisconnectOut
from personal_assistant.core import resilience
from personal_assistant.core.errors import AppError, ServiceUnavailable
from personal_assistant.core.openapi import errors
from personal_assistant.core.pagination import Page
from personal_assistant.deps import PageDep, PrincipalDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["connectors"])
callback_router = APIRouter(tags=["connectors"])


@router.get("/connectors", response_model=Page[ConnectorOut])
async def list_connectors(page: PageDep, principal: PrincipalDep, session: SessionDep) -> Page[ConnectorOut]:
    """Each provider, whether you connected it, what it was granted and when it last synced."""
    every = await service.overview(session, principal.user_id)
    return Page[ConnectorOut].of(every[page.offset : page.offset + page.limit], len(every), page)


@router.get("/connectors/{provider}/authorize", response_model=AuthorizeOut, responses=errors(503))
async def authorize(provider: ConnectorProvider, principal: PrincipalDep) -> AuthorizeOut:
    """Start connecting: the provider's consent URL. It carries a single-use state bound to you
    that expires in OAUTH_STATE_MINUTES (and a PKCE challenge for Google and Microsoft)."""
    return AuthorizeOut(authorize_url=await oauth.start_authorize(principal.user_id, provider))


@router.delete("/connectors/{provider}", response_model=DisconnectOut)
async def disconnect(provider: ConnectorProvider, principal: PrincipalDep) -> DisconnectOut:
    """Disconnect: revoke at the provider where it can (Google, Notion) and delete the tokens."""
    connector = get_connector(provider)
    revoked = await oauth.disconnect(principal.user_id, provider)
    return DisconnectOut(
        provider=provider,
        revoked_at_provider=revoked,
        remove_access_url=None if revoked else connector.remove_access_url,
    )


class CallbackFailed(AppError):
    status_code = 400
    code = "connect_failed"


async def _callback(request: Request, provider: str, params: dict[str, str]) -> RedirectResponse:
    get_connector(provider)
    principal = getattr(request.state, "session_principal", None)
    try:
        await oauth.complete_callback(provider, params, principal.user_id if principal else None)
    except ConnectorError as exc:
        raise CallbackFailed("The provider did not complete the connection. Try again from Connections.") from exc
    except resilience.ProviderUnavailable as exc:
        raise ServiceUnavailable("The provider is not answering. Try again in a minute.") from exc
    return RedirectResponse(f"/connections?connected={provider}", status_code=303)


@callback_router.get("/oauth/{provider}/callback", response_class=RedirectResponse, status_code=303,
                     responses=errors(400, 404, 503))
async def callback(provider: ConnectorProvider, request: Request) -> RedirectResponse:
    """The provider's redirect after consent: the code is exchanged and you land on Connections."""
    return await _callback(request, provider, dict(request.query_params))


@callback_router.post("/oauth/{provider}/callback", response_class=RedirectResponse, status_code=303,
                      responses=errors(400, 404, 503))
async def callback_form_post(provider: ConnectorProvider, request: Request) -> RedirectResponse:
    """The same, for providers that POST the result (Microsoft's response_mode=form_post)."""
    form = await request.form()
    return await _callback(request, provider, {k: str(v) for k, v in form.items()})
