"""Every model, imported so that Base.metadata is complete (Alembic autogenerate, export, delete)."""

from personal_assistant.db.models.auth import (
    ApiToken,
    BrowserSession,
    MagicLink,
    MfaRecoveryCode,
    MfaSecret,
    RefreshToken,
)
from personal_assistant.db.models.connectors import Connector, EventReminder, OAuthState
from personal_assistant.db.models.conversation import AgentStep, ConversationState, Message
from personal_assistant.db.models.idempotency import IdempotencyKey
from personal_assistant.db.models.jobs import FailedJob
from personal_assistant.db.models.memory import Memory
from personal_assistant.db.models.planning import (
    Expense,
    FocusSession,
    Goal,
    GroceryItem,
    Reminder,
    ReminderDelivery,
    Task,
)
from personal_assistant.db.models.sms import SmsNumber, SmsUsage, SmsWebhookReceipt, UnknownSenderReply
from personal_assistant.db.models.users import AuditEvent, PhoneNumber, User

# Tables without a non-null user_id, and why. Everything else must be UserOwned.
SYSTEM_TABLES = {
    "users": "the owner itself",
    "audit_events": "kept after account deletion, without personal data",
    "sms_numbers": "deployment numbers; user_id is the optional dedicated owner",
    "sms_webhook_receipts": "idempotency of Twilio retries, before the sender is known",
    "unknown_sender_replies": "throttles onboarding texts to people without an account",
    "failed_jobs": "operator dead-letter queue",
}

__all__ = [
    "SYSTEM_TABLES",
    "AgentStep",
    "ApiToken",
    "AuditEvent",
    "BrowserSession",
    "Connector",
    "EventReminder",
    "ConversationState",
    "Expense",
    "FailedJob",
    "FocusSession",
    "Goal",
    "GroceryItem",
    "IdempotencyKey",
    "MagicLink",
    "Memory",
    "Message",
    "MfaRecoveryCode",
    "MfaSecret",
    "OAuthState",
    "PhoneNumber",
    "RefreshToken",
    "Reminder",
    "ReminderDelivery",
    "SmsNumber",
    "SmsUsage",
    "SmsWebhookReceipt",
    "Task",
    "UnknownSenderReply",
    "User",
]
