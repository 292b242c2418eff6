import pytest

from personal_assistant.workers.enqueue import wait_for_in_process_jobs


@pytest.fixture(autouse=True)
async def _finish_background_replies():
    """Let in-process reply jobs finish before the tables are emptied."""
    yield
    await wait_for_in_process_jobs()
