"""The agent's entry point for every channel: one inbound text in, one reply out.

This first version answers with a fixed acknowledgement; the agent issue replaces the body with
AgentCore/Planner/Runner. Callers (SMS pipeline, web chat) depend only on this signature.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from personal_assistant.db.models import User


@dataclass
class AgentReply:
    text: str
    provider: str  # which provider answered: gemini|offline|fixed
    turn_id: uuid.UUID | None = None


async def handle_inbound(session: AsyncSession, user: User, text: str, *, channel: str = "sms") -> AgentReply:
    """Run one agent turn for `user` and return the reply text (not yet sent)."""
    return AgentReply("Got it. I'm here and I'll get back to you.", provider="fixed")
