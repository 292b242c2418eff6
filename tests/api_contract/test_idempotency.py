"""Idempotency-Key on authenticated POSTs (core/idempotency.py): stored per user with the answer,
replayed on repeat, 409 on the same key with another body or while the first still runs."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from personal_assistant.core import clock
from personal_assistant.core.idempotency import purge_expired
from personal_assistant.db.models import IdempotencyKey, Message, Task
from personal_assistant.db.session import session_scope


async def _count(model, user_id) -> int:
    async with session_scope() as s:
        return int((await s.execute(select(func.count()).select_from(model).where(model.user_id == user_id))).scalar())


async def test_the_same_key_twice_creates_one_task_and_answers_the_same(client, make_user):
    user = await make_user()
    headers = {**user.headers, "Idempotency-Key": "k-1"}
    first = await client.post("/api/v1/tasks", json={"title": "milk"}, headers=headers)
    second = await client.post("/api/v1/tasks", json={"title": "milk"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert second.headers["location"] == first.headers["location"]
    assert await _count(Task, user.id) == 1
    # Same body in another key order and spacing: the same request.
    again = await client.post("/api/v1/tasks", content=b'{ "title" : "milk" }',
                              headers={**headers, "content-type": "application/json"})
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    # Without a key, or with another one, it runs again.
    other_key = {**user.headers, "Idempotency-Key": "k-2"}
    other = await client.post("/api/v1/tasks", json={"title": "milk"}, headers=other_key)
    assert other.json()["id"] != first.json()["id"]
    assert await _count(Task, user.id) == 2


async def test_the_same_key_with_another_body_is_a_409(client, make_user):
    user = await make_user()
    headers = {**user.headers, "Idempotency-Key": "k-1"}
    assert (await client.post("/api/v1/tasks", json={"title": "milk"}, headers=headers)).status_code == 201
    reused = await client.post("/api/v1/tasks", json={"title": "eggs"}, headers=headers)
    assert reused.status_code == 409 and reused.json()["error"]["code"] == "idempotency_key_reused"
    elsewhere = await client.post("/api/v1/goals", json={"title": "milk"}, headers=headers)
    assert elsewhere.status_code == 409
    assert await _count(Task, user.id) == 1


async def test_keys_are_per_user(client, make_user):
    alice, bob = await make_user(), await make_user()
    for user in (alice, bob):
        keyed = {**user.headers, "Idempotency-Key": "same"}
        r = await client.post("/api/v1/tasks", json={"title": "milk"}, headers=keyed)
        assert r.status_code == 201 and "idempotent-replayed" not in r.headers
    assert await _count(Task, alice.id) == await _count(Task, bob.id) == 1


async def test_concurrent_duplicates_act_once(client, make_user):
    user = await make_user()
    headers = {**user.headers, "Idempotency-Key": "race"}
    answers = await asyncio.gather(
        *[client.post("/api/v1/tasks", json={"title": "milk"}, headers=headers) for _ in range(4)]
    )
    statuses = sorted(a.status_code for a in answers)
    assert all(s in (201, 409) for s in statuses) and 201 in statuses, statuses
    for a in answers:
        if a.status_code == 409:
            assert a.json()["error"]["code"] == "idempotency_in_progress" and a.headers["retry-after"] == "1"
    assert await _count(Task, user.id) == 1


async def test_a_chat_retry_does_not_run_the_agent_again(client, make_user):
    user = await make_user()
    headers = {**user.headers, "Idempotency-Key": "chat-1"}
    first = await client.post("/api/v1/conversation/messages", json={"text": "hello"}, headers=headers)
    second = await client.post("/api/v1/conversation/messages", json={"text": "hello"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert await _count(Message, user.id) == 2  # one inbound, one reply: no second turn


async def test_a_validation_error_is_kept_too_and_a_bad_key_is_a_422(client, make_user):
    user = await make_user()
    headers = {**user.headers, "Idempotency-Key": "bad-body"}
    assert (await client.post("/api/v1/tasks", json={"title": ""}, headers=headers)).status_code == 422
    assert (await client.post("/api/v1/tasks", json={"title": ""}, headers=headers)).headers["idempotent-replayed"]
    too_long = {**user.headers, "Idempotency-Key": "k" * 256}
    long_key = await client.post("/api/v1/tasks", json={"title": "x"}, headers=too_long)
    assert long_key.status_code == 422 and "Idempotency-Key" in long_key.json()["error"]["fields"]


async def test_expired_keys_run_again_and_are_purged(client, make_user):
    user = await make_user()
    headers = {**user.headers, "Idempotency-Key": "old"}
    await client.post("/api/v1/tasks", json={"title": "milk"}, headers=headers)
    async with session_scope() as s:
        row = (await s.execute(select(IdempotencyKey).where(IdempotencyKey.user_id == user.id))).scalar_one()
        assert row.status == "done" and row.response_encrypted and "milk" not in row.response_encrypted
        row.expires_at = clock.now() - timedelta(seconds=1)
    again = await client.post("/api/v1/tasks", json={"title": "milk"}, headers=headers)
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers
    assert await _count(Task, user.id) == 2
    async with session_scope() as s:
        row = (await s.execute(select(IdempotencyKey).where(IdempotencyKey.user_id == user.id))).scalar_one()
        row.expires_at = clock.now() - timedelta(seconds=1)
    assert await purge_expired() == 1
    assert await _count(IdempotencyKey, user.id) == 0


async def test_public_posts_ignore_the_header(client, make_user):
    user = await make_user()
    body = {"email": user.email, "password": "wrong password here"}
    r = await client.post("/api/v1/auth/login", json=body, headers={"Idempotency-Key": "x"})
    assert r.status_code == 401


async def test_a_claim_left_by_a_dead_process_is_let_go(client, make_user):
    user = await make_user()
    async with session_scope() as s:
        s.add(IdempotencyKey(user_id=user.id, key="orphan", fingerprint="x" * 64, status="in_progress",
                             created_at=clock.now() - timedelta(minutes=11),
                             expires_at=clock.now() + timedelta(hours=23)))
    keyed = {**user.headers, "Idempotency-Key": "orphan"}
    r = await client.post("/api/v1/tasks", json={"title": "milk"}, headers=keyed)
    assert r.status_code == 201
