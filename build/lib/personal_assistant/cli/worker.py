"""`assistant worker` and `assistant beat`: the Celery processes (need REDIS_URL)."""

from __future__ import annotations

import os
import tempfile

import typer

from personal_assistant.cli.common import fail


def _require_broker() -> None:
    from personal_assistant.config import get_settings

    if not get_settings().redis_url:
        fail("REDIS_URL is not set: in the embedded mode `assistant serve` runs the jobs itself")


def worker(
    concurrency: int = typer.Option(1, help="worker processes (prefork); 1 with --pool solo"),
    pool: str = typer.Option("prefork", help="prefork or solo"),
    loglevel: str = typer.Option("INFO", help="Celery log level"),
    queues: str = typer.Option("celery", "--queues", "-Q", help="comma-separated queues to consume"),
    hostname: str | None = typer.Option(None, "--hostname", "-n", help="node name (default: celery@host)"),
    metrics_port: int | None = typer.Option(
        None, envvar="WORKER_METRICS_PORT", help="serve this process's Prometheus metrics on this port"
    ),
) -> None:
    """Run a Celery worker: reminder delivery, check-ins, focus nudges, inbound SMS turns."""
    _require_broker()
    if metrics_port:
        from prometheus_client import REGISTRY, CollectorRegistry, multiprocess, start_http_server

        registry = REGISTRY
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # prefork children write there; sum them
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        start_http_server(metrics_port, registry=registry)
    from personal_assistant.workers.celery_app import celery_app

    # Long options with "=": Celery's Click parser reads "-Q=celery" as the queue "=celery".
    argv = ["worker", f"--pool={pool}", f"--concurrency={concurrency}", f"--loglevel={loglevel}", f"--queues={queues}"]
    if hostname:
        argv.append(f"--hostname={hostname}")
    celery_app.worker_main(argv)


def beat(
    schedule_file: str = typer.Option(
        os.path.join(tempfile.gettempdir(), "assistant-celerybeat-schedule"), help="beat state file"
    ),
    loglevel: str = typer.Option("INFO", help="Celery log level"),
) -> None:
    """Run Celery beat (exactly ONE per deployment): it sends the periodic ticks."""
    _require_broker()
    from personal_assistant.workers.celery_app import celery_app

    celery_app.start(["beat", f"--schedule={schedule_file}", f"--loglevel={loglevel}"])


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    app.command("beat")(beat)
