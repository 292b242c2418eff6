"""The conversation: the same thread as SMS (both channels), live, with a box to chat."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.agent import conversation
from personal_assistant.agent import service as agent
from personal_assistant.dashboard.web import DB, CurrentUser, dashboard_router, form_data, redirect, render
from personal_assistant.db.models import Message, User

router = dashboard_router()

THREAD_SIZE = 60
MAX_CHAT_CHARS = 1600


async def recent_thread(session: AsyncSession, user: User, limit: int = THREAD_SIZE) -> list[Message]:
    """The newest messages of the thread, oldest first (newest at the bottom)."""
    messages, _ = await conversation.list_messages(session, user.id, limit=limit, offset=0)
    return messages


@router.get("/conversation")
async def conversation_page(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Every text between you and your assistant, SMS and web alike."""
    return render(
        request,
        "conversation.html",
        {
            "title": "Conversation",
            "messages": await recent_thread(session, user),
            "max_chars": MAX_CHAT_CHARS,
        },
    )


@router.get("/conversation/messages")
async def conversation_fragment(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """The thread alone, for the page's live update."""
    return render(request, "_thread.html", {"messages": await recent_thread(session, user), "label": "Conversation"})


@router.post("/conversation")
async def send_chat(request: Request, user: User = CurrentUser, session: AsyncSession = DB):
    """Send a message to the assistant from the web; the reply lands in the same thread."""
    values = await form_data(request)
    text = values.get("text", "")
    error = None
    if not text:
        error = "Type a message first."
    elif len(text) > MAX_CHAT_CHARS:
        error = f"That is a long one. Keep it under {MAX_CHAT_CHARS} characters."
    if error:
        return render(
            request,
            "conversation.html",
            {
                "title": "Conversation",
                "messages": await recent_thread(session, user),
                "max_chars": MAX_CHAT_CHARS,
                "errors": {"text": error},
                "values": {"text": text},
            },
            status_code=422,
        )
    await agent.post_web_message(user.id, text)  # the page's identity read already ended
    return redirect(request, "/conversation#composer")
