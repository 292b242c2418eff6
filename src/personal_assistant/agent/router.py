"""Web chat (the same thread and agent as SMS) and the user's tool list."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, field_validator

from personal_assistant.agent import conversation, service
from personal_assistant.agent.tools.registry import connect_url, registry
from personal_assistant.config import get_settings
from personal_assistant.core.enums import Channel, Direction
from personal_assistant.core.pagination import Page
from personal_assistant.db.models import Message
from personal_assistant.deps import CurrentUserDep, PageDep, PrincipalDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["agent"])


class MessageOut(BaseModel):
    id: uuid.UUID
    direction: Direction
    channel: Channel
    kind: str
    body: str
    status: str
    answered_by: str | None
    in_reply_to_id: uuid.UUID | None
    created_at: datetime

    @classmethod
    def of(cls, m: Message) -> MessageOut:
        return cls(
            id=m.id,
            direction=Direction(m.direction),
            channel=Channel(m.channel),
            kind=m.kind,
            body=m.body,
            status=m.status,
            answered_by=m.answered_by,
            in_reply_to_id=m.in_reply_to_id,
            created_at=m.created_at,
        )


class ChatIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"text": "remind me to call mom at 6pm"}]},
    )

    text: str = Field(min_length=1, max_length=1600, description="what the user types")

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text must not be blank")
        return value.strip()


class ChatOut(BaseModel):
    inbound: MessageOut
    reply: MessageOut | None = Field(
        description="the answer; null only when another of your texts was still being answered for "
        "longer than the wait: the answer then appears in the thread"
    )
    provider: str | None


class ToolOut(BaseModel):
    name: str
    description: str
    connector: str | None
    changes_data: bool
    enabled: bool
    connect_url: str | None = None


@router.get("/conversation/messages", response_model=Page[MessageOut])
async def list_messages(
    page: PageDep,
    principal: PrincipalDep,
    session: SessionDep,
) -> Page[MessageOut]:
    """The conversation thread: both directions, SMS and web chat, newest last.

    `offset` counts back from the newest message, so offset=0 is the latest page.
    """
    rows, total = await conversation.list_messages(session, principal.user_id, limit=page.limit, offset=page.offset)
    return Page[MessageOut].of([MessageOut.of(m) for m in rows], total, page)


@router.post("/conversation/messages", response_model=ChatOut, status_code=201)
async def post_message(body: ChatIn, user: CurrentUserDep) -> ChatOut:
    """Send a web chat message: the agent answers in the same thread as SMS, synchronously.

    No database transaction is held while the agent thinks: the message is committed first."""
    exchange = await service.post_web_message(user.id, body.text)
    return ChatOut(
        inbound=MessageOut.of(exchange.inbound),
        reply=MessageOut.of(exchange.outbound) if exchange.outbound is not None else None,
        provider=exchange.provider,
    )


@router.get("/tools", response_model=Page[ToolOut])
async def list_tools(
    page: PageDep,
    principal: PrincipalDep,
    session: SessionDep,
) -> Page[ToolOut]:
    """Every tool the assistant has, and whether it is enabled for you (connected accounts unlock more)."""
    enabled, unavailable = await registry.availability(session, principal.user_id)
    link = connect_url(get_settings().public_base_url)
    tools = [
        ToolOut(
            name=t.name, description=t.description, connector=t.connector, changes_data=t.changes_data, enabled=True
        )
        for t in enabled
    ]
    tools += [
        ToolOut(
            name=t.name,
            description=t.description,
            connector=t.connector,
            changes_data=t.changes_data,
            enabled=False,
            connect_url=link,
        )
        for t in registry.all()
        if t.name in unavailable
    ]
    ordered = sorted(tools, key=lambda t: (not t.enabled, t.connector or "", t.name))  # names are unique
    return Page[ToolOut].of(ordered[page.offset : page.offset + page.limit], len(ordered), page)
