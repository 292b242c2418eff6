"""Connector tests: the fake providers and a helper that connects a user through HTTP."""

from __future__ import annotations

import pytest

from tests.fixtures.fake_providers import FakeProviders, fake_providers  # noqa: F401 - a fixture

__all__ = ["connect", "fake_providers"]


async def connect(client, fake: FakeProviders, user, provider: str):
    """authorize -> the fake's consent -> callback, as the person's browser would."""
    response = await client.get(f"/api/v1/connectors/{provider}/authorize", headers=user.headers)
    assert response.status_code == 200, response.text
    params = fake.consent(provider, response.json()["authorize_url"])
    if provider == "microsoft":
        return await client.post(f"/oauth/{provider}/callback", data=params)
    return await client.get(f"/oauth/{provider}/callback", params=params)


@pytest.fixture
def connect_user(client, fake_providers):  # noqa: F811
    async def run(user, provider: str):
        response = await connect(client, fake_providers, user, provider)
        assert response.status_code == 303, response.text
        return response

    return run


@pytest.fixture(autouse=True)
async def _settle_jobs():
    """Texts queued by a test (health texts) are dispatched in-process: let them finish before
    the tables are emptied."""
    from personal_assistant.workers.enqueue import wait_for_in_process_jobs

    yield
    await wait_for_in_process_jobs()
