import pytest

from personal_assistant.core.email import OUTBOX
from personal_assistant.core.ratelimit import reset_rate_limits


@pytest.fixture(autouse=True)
async def fresh_limits_and_outbox():
    """Every test starts with empty rate-limit windows and an empty console outbox."""
    await reset_rate_limits()
    OUTBOX.clear()
    yield
    await reset_rate_limits()
