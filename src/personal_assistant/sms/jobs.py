"""Background jobs of the SMS channel (Celery tasks with REDIS_URL, in-process tasks embedded).

Every one is safe to run twice or concurrently (Celery delivers at least once; the sweep runs
them again after a crash): see agent/pipeline.py and sms/outbox.py for why.
"""

from __future__ import annotations

import uuid

from personal_assistant.config import get_settings
from personal_assistant.core.idempotency import purge_expired
from personal_assistant.db.models import Message
from personal_assistant.db.session import session_scope
from personal_assistant.sms import keywords, outbox, sweep
from personal_assistant.workers.jobs import job


@job("sms.process_inbound")
async def process_inbound(user_id: str | None = None, message_id: str | None = None) -> int:
    """Answer the user's waiting texts, in order (the webhook names the user; a job queued by an
    older release named only the message)."""
    from personal_assistant.agent.pipeline import answer_waiting

    if user_id is None and message_id is not None:
        async with session_scope() as session:
            message = await session.get(Message, uuid.UUID(message_id))
            user_id = str(message.user_id) if message is not None else None
    if user_id is None:
        return 0
    return await answer_waiting(uuid.UUID(user_id))


@job("sms.dispatch")
async def dispatch_text(message_id: str) -> str | None:
    """Send one text of the outbox."""
    return await outbox.dispatch(message_id)


@job("sms.sweep")
async def sweep_pipeline() -> dict[str, int]:
    """Re-drive what a crash or a lost job left behind (sms/sweep.py)."""
    stats = (await sweep.sweep()).as_dict()
    stats["idempotency_keys_purged"] = await purge_expired()  # the REST API's keys past their 24 h
    return stats


@job("sms.reply_unknown_sender")
async def reply_unknown_sender(to_number: str, from_number: str | None = None, help: bool = False) -> None:  # noqa: A002
    """The onboarding text for a number without an account (throttled by the webhook)."""
    from personal_assistant.agent.pipeline import signup_url

    settings = get_settings()
    text = (
        keywords.help_text(settings.app_name, signup_url())
        if help
        else keywords.onboarding_text(settings.app_name, signup_url())
    )
    await outbox.send_without_user(to_number=to_number, from_number=from_number, body=text)
