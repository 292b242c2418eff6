"""`assistant stats` as the operator runs it: real texts through the webhook, plus rows for what a
test cannot cheaply produce here (Gemini token use, reminder outcomes, last month's traffic)."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from typer.testing import CliRunner

from personal_assistant.cli.main import app as cli_app
from personal_assistant.core import clock
from personal_assistant.db.models import AgentStep, Message, Reminder, ReminderDelivery, SmsUsage
from personal_assistant.db.session import dispose_engine, session_scope
from personal_assistant.workers.enqueue import wait_for_in_process_jobs
from tests.fixtures.twilio import SHARED_NUMBER, inbound_params, post_signed

runner = CliRunner()


async def stats_cli(*args: str):
    await dispose_engine()
    result = await asyncio.to_thread(runner.invoke, cli_app, ["stats", *args])
    await dispose_engine()
    return result


async def _gemini_turn(user_id: uuid.UUID, tokens_in: int, tokens_out: int, at: datetime) -> None:
    turn = uuid.uuid4()
    async with session_scope() as s:
        s.add(AgentStep(user_id=user_id, turn_id=turn, step_index=0, kind="plan", provider="gemini",
                        tokens_in=tokens_in, tokens_out=tokens_out, created_at=at))
        s.add(AgentStep(user_id=user_id, turn_id=turn, step_index=1, kind="answer", provider="gemini",
                        tokens_in=tokens_in, tokens_out=0, created_at=at))


async def _deliveries(user_id: uuid.UUID, outcomes: list[str], at: datetime) -> None:
    async with session_scope() as s:
        reminder = Reminder(user_id=user_id, text="stretch", due_at=at, timezone="UTC")
        s.add(reminder)
        await s.flush()
        for n, outcome in enumerate(outcomes):
            s.add(ReminderDelivery(user_id=user_id, reminder_id=reminder.id, occurrence_at=at, attempt=n,
                                   idempotency_key=f"stats-test:{reminder.id}:{n}", outcome=outcome,
                                   created_at=at))


async def _old_text(user_id: uuid.UUID, at: datetime) -> None:
    async with session_scope() as s:
        message = Message(user_id=user_id, direction="inbound", channel="sms", kind="chat", body="old",
                          status="received", segments=2, created_at=at)
        s.add(message)
        await s.flush()
        s.add(SmsUsage(user_id=user_id, message_id=message.id, direction="inbound", segments=2, encoding="gsm7",
                       price_estimate=Decimal("0.0166"), created_at=at))


async def test_stats_report_the_deployment_and_one_users_month(client, make_user, twilio_webhooks, settings_env):
    settings_env(TWILIO_AUTH_TOKEN=twilio_webhooks.twilio_auth_token, SMS_PRICE_PER_SEGMENT_USD="0.01",
                 LLM_PRICE_PER_MILLION_INPUT_USD="1", LLM_PRICE_PER_MILLION_OUTPUT_USD="10")
    alice = await make_user()
    bob = await make_user()
    await make_user()  # never texted: counted, not active
    for body in ("add milk to groceries", "what's on my list?"):
        response = await post_signed(client, "/webhooks/twilio/sms",
                                     inbound_params(from_=alice.phone, to=SHARED_NUMBER, body=body))
        assert response.status_code == 200
        await wait_for_in_process_jobs()
    now = clock.now()
    await _gemini_turn(bob.id, 1000, 200, now)
    await _deliveries(alice.id, ["sent", "sent", "late", "missed"], now)
    await _old_text(bob.id, now - timedelta(days=40))

    result = await stats_cli("--json", "--days", "7")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)

    assert report["users"] == {"total": 3, "active_accounts": 3, "active_7d": 1, "active_30d": 1}
    today = now.date().isoformat()
    assert len(report["texts_per_day"]) == 7 and report["texts_per_day"][-1] == {"day": today, "in": 2, "out": 2}
    assert report["sms"]["texts_in"] == 2 and report["sms"]["texts_out"] == 2
    assert report["sms"]["segments_in"] == 2 and report["sms"]["segments_out"] >= 2
    segments = report["sms"]["segments_in"] + report["sms"]["segments_out"]
    assert Decimal(report["sms"]["cost_usd"]) == Decimal("0.01") * segments
    # Gemini: 2000 in (1000 per step) and 200 out at $1 / $10 per million.
    assert report["llm"]["providers"] == {"gemini": {"tokens_in": 2000, "tokens_out": 200, "cost_usd": "0.0040"}}
    assert report["reminders"] == {"sent": 3, "late": 1, "missed": 1, "failed": 0}
    # Alice's two texts were answered by the offline brain (0 tokens); bob's turn used Gemini.
    assert report["turns"]["total"] == 3 and report["turns"]["zero_token"] == 2
    assert report["turns"]["zero_token_share"] == round(2 / 3, 4)
    assert Decimal(report["total_cost_usd"]) == Decimal(report["sms"]["cost_usd"]) + Decimal("0.0040")

    old_month = (now - timedelta(days=40)).strftime("%Y-%m")
    month = await stats_cli("--json", "--user", bob.email.upper(), "--month", old_month)
    assert month.exit_code == 0, month.output
    bob_report = json.loads(month.output)
    assert bob_report["user"]["email"] == bob.email and bob_report["users"] == {}
    assert bob_report["sms"]["texts_in"] == 1 and bob_report["sms"]["segments_in"] == 2
    assert bob_report["sms"]["cost_usd"] == "0.0166" and bob_report["llm"]["tokens_in"] == 0
    assert bob_report["total_cost_usd"] == "0.0166"
    start = datetime.strptime(old_month, "%Y-%m").replace(tzinfo=UTC)
    assert bob_report["window"]["from"] == start.isoformat()

    text = await stats_cli()
    assert text.exit_code == 0 and "total cost" in text.output and "answered with 0 LLM tokens: 2" in text.output


async def test_stats_refuse_bad_input_with_exit_code_2(make_user):
    user = await make_user()
    assert (await stats_cli("--user", user.email)).exit_code == 2  # --month missing
    bad_month = await stats_cli("--user", user.email, "--month", "2026-13")
    assert bad_month.exit_code == 2 and "2026-12" in bad_month.output
    unknown = await stats_cli("--user", "nobody@example.com", "--month", "2026-12")
    assert unknown.exit_code == 2 and "no user" in unknown.output
