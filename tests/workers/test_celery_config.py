"""The Celery app's settings that the delivery guarantees rely on, and its task registry."""

from __future__ import annotations

from personal_assistant.config import get_settings
from personal_assistant.workers.celery_app import VISIBILITY_TIMEOUT_SECONDS, build_celery, celery_app
from personal_assistant.workers.jobs import load_all_jobs
from personal_assistant.workers.schedule import beat_schedule


def test_every_job_is_a_celery_task_of_the_same_name():
    assert set(load_all_jobs()) <= set(celery_app.tasks)


def test_at_least_once_settings_and_a_visibility_timeout_beyond_any_task_or_countdown():
    conf = build_celery("redis://127.0.0.1:6379/9").conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.broker_connection_retry_on_startup
    assert conf.broker_transport_options["visibility_timeout"] == VISIBILITY_TIMEOUT_SECONDS >= 3600


def test_beat_ticks_expire_before_they_can_pile_up(settings_env):
    settings_env(REMINDER_TICK_SECONDS="5")
    schedule = beat_schedule(get_settings())
    tick = schedule["reminders.deliver_due"]
    assert tick["schedule"] == 5.0 and tick["options"]["expires"] == 10.0
    assert {"checkins.run", "focus.nudges", "workers.queue_depth"} <= set(schedule)
