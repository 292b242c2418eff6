"""Focus sessions: one at a time, end early or on time, record the outcome."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from personal_assistant.core.errors import Conflict, ValidationFailed
from personal_assistant.planning.focus import service
from personal_assistant.planning.tasks import service as tasks
from tests.fixtures.factories import load_user

T0 = datetime.fromisoformat("2026-06-01T10:00:00+00:00")


async def test_start_end_early_and_only_one_running(session, make_user):
    user = await load_user(session, await make_user())
    task = await tasks.create_task(session, user, title="write report")
    with time_machine.travel(T0, tick=False):
        focus = await service.start_focus(session, user, minutes=25, task=task, midway_checkin=True)
        assert focus.label == "write report" and focus.ends_at == T0 + timedelta(minutes=25)
        with pytest.raises(Conflict):
            await service.start_focus(session, user, minutes=10)
    with time_machine.travel(T0 + timedelta(minutes=12), tick=False):
        ended = await service.end_focus(session, user, outcome="got distracted by email")
    assert ended.early and ended.minutes_focused == 12 and ended.planned_minutes == 25
    assert (focus.status, focus.outcome) == ("ended_early", "got distracted by email")


async def test_finished_session_gets_outcome_and_does_not_block(session, make_user):
    user = await load_user(session, await make_user())
    with time_machine.travel(T0, tick=False):
        focus = await service.start_focus(session, user, minutes=20)
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        assert await service.active_focus(session, user) is None
        ended = await service.end_focus(session, user, outcome="finished the draft")
        assert not ended.early and ended.minutes_focused == 20
        assert focus.status == "completed" and focus.outcome == "finished the draft"
        nothing = await service.end_focus(session, user)
        assert nothing.focus is None
        second = await service.start_focus(session, user, minutes=5)
    assert second.status == "active"


async def test_minutes_validated(session, make_user):
    user = await load_user(session, await make_user())
    with pytest.raises(ValidationFailed) as err:
        await service.start_focus(session, user, minutes=0)
    assert "minutes" in err.value.fields
