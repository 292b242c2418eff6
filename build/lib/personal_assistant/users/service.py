"""The users service: one import for routers, the dashboard and the CLI.

    from personal_assistant.users import service as users
    user = await users.get_profile(session, user_id)
    user = await users.update_profile(session, user_id, {"timezone": "Europe/Paris", "quiet_hours_start": "22:00", ...})
    started = await users.start_phone_verification(session, user, "(555) 123-4567", ip=ip)  # texts a code
    phone = await users.verify_phone(session, user, "+15551234567", "123456")
    data = await users.export_user_data(session, user_id)          # JSON-ready dict
    await users.delete_account(session, user_id, password="...")   # hard delete + audit event

Admin/CLI operations (audited) are in users.admin. No FastAPI here; errors are core.errors.
"""

from personal_assistant.users.account import (
    delete_account,
    export_user_data,
    hard_delete_user,
    is_secret_column,
)
from personal_assistant.users.phones import (
    PhoneVerificationStarted,
    list_phones,
    normalise_phone,
    start_phone_verification,
    verify_phone,
)
from personal_assistant.users.profile import (
    EDITABLE,
    format_hhmm,
    get_profile,
    parse_hhmm,
    update_profile,
    validate_timezone,
)

__all__ = [
    "EDITABLE",
    "PhoneVerificationStarted",
    "delete_account",
    "export_user_data",
    "format_hhmm",
    "get_profile",
    "hard_delete_user",
    "is_secret_column",
    "list_phones",
    "normalise_phone",
    "parse_hhmm",
    "start_phone_verification",
    "update_profile",
    "validate_timezone",
    "verify_phone",
]
