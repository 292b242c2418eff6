"""Numbers (assign, release, list, provision through the fake Twilio API) and the `assistant sms`
and `assistant numbers` commands, run as real processes against the test database."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from personal_assistant.core.errors import Conflict
from personal_assistant.db.models import SmsNumber
from personal_assistant.db.session import session_scope
from personal_assistant.sms.numbers import assign_number, provision_number, release_number
from personal_assistant.workers.enqueue import wait_for_in_process_jobs
from tests.fixtures.twilio import SHARED_NUMBER, inbound_params, post_signed
from tests.sms.helpers import messages_of


async def cli(*args: str) -> subprocess.CompletedProcess:
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "personal_assistant.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ | {"COLUMNS": "200"},
    )


async def _numbers() -> dict[str, SmsNumber]:
    async with session_scope() as s:
        return {n.e164: n for n in (await s.execute(select(SmsNumber))).scalars()}


async def test_provision_buys_a_number_with_its_webhook_set_to_this_deployment(make_user, fake_twilio):
    alice = await make_user()

    async with session_scope() as s:
        row = await provision_number(s, area_code="500", user_ref=alice.email)

    [search] = [r for r in fake_twilio.requests if "AvailablePhoneNumbers/US/Local.json" in r.path]
    assert search.query["AreaCode"] == ["500"] and search.query["SmsEnabled"] == ["true"]
    [created] = fake_twilio.incoming.values()
    assert created["phone_number"] == "+15005550006"
    assert created["sms_url"] == "https://assistant.test/webhooks/twilio/sms"
    assert created["sms_method"] == "POST"
    stored = (await _numbers())["+15005550006"]
    assert stored.twilio_sid == created["sid"] and stored.user_id == alice.id and row.user_id == alice.id


async def test_a_number_belongs_to_at_most_one_user(make_user, twilio_webhooks):
    alice = await make_user()
    bob = await make_user()
    async with session_scope() as s:
        await assign_number(s, "+15550003333", alice.email)

    with pytest.raises(Conflict):
        async with session_scope() as s:
            await assign_number(s, "+15550003333", bob.email)
    with pytest.raises(Conflict):  # and a user has at most one dedicated number
        async with session_scope() as s:
            await assign_number(s, "+15550004444", alice.email)

    async with session_scope() as s:
        await release_number(s, "+15550003333")
        await assign_number(s, "+15550003333", str(bob.id))
    assert (await _numbers())["+15550003333"].user_id == bob.id


async def test_release_from_twilio_gives_the_number_back(make_user, fake_twilio):
    async with session_scope() as s:
        await provision_number(s, number="+15005550007")
    assert len(fake_twilio.incoming) == 1

    async with session_scope() as s:
        await release_number(s, "+15005550007", from_twilio=True)

    assert fake_twilio.incoming == {}
    assert await _numbers() == {}


async def test_numbers_commands(make_user, fake_twilio):
    alice = await make_user()

    provisioned = await cli("numbers", "provision", "--area-code", "500", "--json")
    assert provisioned.returncode == 0, provisioned.stderr
    number = json.loads(provisioned.stdout)["number"]
    assigned = await cli("numbers", "assign", number, "--user", alice.email)
    assert assigned.returncode == 0, assigned.stderr
    listed = await cli("numbers", "list", "--json")
    rows = {r["number"]: r for r in json.loads(listed.stdout)}
    assert rows[number]["owner"] == alice.email and rows[number]["twilio_sid"].startswith("PN")
    assert rows[SHARED_NUMBER]["shared"] is True

    refused = await cli("numbers", "assign", "12345", "--user", alice.email)
    assert refused.returncode == 1 and "E.164" in refused.stderr

    released = await cli("numbers", "release", number)
    assert released.returncode == 0
    assert (await _numbers())[number].user_id is None


async def test_sms_send_and_usage_commands(client, make_user, fake_twilio):
    alice = await make_user()
    await post_signed(client, "/webhooks/twilio/sms", inbound_params(from_=alice.phone, to=SHARED_NUMBER, body="hi"))
    await wait_for_in_process_jobs()

    sent = await cli("sms", "send", "--to", alice.phone, "--body", "Test from the operator 👋", "--json")
    assert sent.returncode == 0, sent.stderr
    assert json.loads(sent.stdout)["status"] == "queued"
    assert fake_twilio.sent_messages[-1]["Body"] == "Test from the operator 👋"
    assert len(await messages_of(alice.id, "outbound")) == 2

    usage = await cli("sms", "usage", "--days", "1", "--json")
    assert usage.returncode == 0, usage.stderr
    [row] = json.loads(usage.stdout)
    assert row["email"] == alice.email
    assert (row["outbound"], row["inbound"]) == (2, 1)
    assert row["segments"] == 3 and row["cost_usd"] == "0.02490"

    table = await cli("sms", "usage")
    assert alice.email in table.stdout
