"""The admin CLI: `assistant --help`."""

from __future__ import annotations

import json

import typer

from personal_assistant.cli.common import run

app = typer.Typer(help="ADHD assistant: admin and operations CLI.", no_args_is_help=True)


@app.callback()
def _logs_to_stderr() -> None:
    """Keep stdout for each command's output (tables, --json); logs go to stderr."""
    from personal_assistant.config import get_settings
    from personal_assistant.observability.logging import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="interface to bind"),
    port: int = typer.Option(8000, help="port"),
    reload: bool = typer.Option(False, help="reload on code changes (development)"),
    workers: int = typer.Option(1, help="uvicorn worker processes"),
    migrate_first: bool = typer.Option(True, "--migrate/--no-migrate", help="apply migrations first"),
) -> None:
    """Run the API, dashboard and (embedded mode) the in-process scheduler."""
    import os

    import uvicorn

    from personal_assistant.config import get_settings, reset_settings_cache, url_for_bind

    # Development links (texts, emails) follow the port actually served unless PUBLIC_BASE_URL
    # says otherwise; the environment carries it to uvicorn's worker and reload processes.
    os.environ["SERVED_URL"] = url_for_bind(host, port)
    reset_settings_cache()

    if migrate_first:
        migrate("head")
    # X-Forwarded-For/Proto are believed only from FORWARDED_ALLOW_IPS (the proxy); unset, from nobody.
    trusted_proxies = get_settings().forwarded_allow_ips.strip()
    uvicorn.run(
        "personal_assistant.main:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=None if reload else workers,
        proxy_headers=bool(trusted_proxies),
        forwarded_allow_ips=trusted_proxies or None,
        access_log=False,
    )


@app.command()
def migrate(revision: str = typer.Argument("head", help="target revision")) -> None:
    """Apply database migrations (alembic upgrade)."""
    from alembic.script import ScriptDirectory

    from personal_assistant.db.migrations import alembic_config, upgrade

    upgrade(revision)
    target = revision
    if revision == "head":  # name the revision, so the operator can compare deployments
        target = f"{ScriptDirectory.from_config(alembic_config()).get_current_head()} (head)"
    typer.echo(f"database migrated to {target}")


@app.command()
def health(as_json: bool = typer.Option(False, "--json", help="machine-readable output")) -> None:
    """Check the database (and Redis when configured); exit 1 if anything is down."""
    from personal_assistant.config import get_settings
    from personal_assistant.main import readiness_checks

    checks = run(lambda: readiness_checks(get_settings()))
    if as_json:
        typer.echo(json.dumps(checks))
    else:
        for name, state in checks.items():
            typer.echo(f"{name}: {state}")
    if any(v != "ok" for v in checks.values()):
        raise typer.Exit(1)


def _register_groups() -> None:
    from personal_assistant.cli import users

    app.add_typer(users.app, name="users", help=users.HELP)

    from personal_assistant.cli import jobs as jobs_cli
    from personal_assistant.cli import worker as worker_cli

    worker_cli.register(app)
    app.add_typer(jobs_cli.app, name="jobs", help="failed background jobs: list and retry")

    from personal_assistant.cli import numbers as numbers_cli
    from personal_assistant.cli import sms as sms_cli

    app.add_typer(sms_cli.app, name="sms", help="send a test text, usage and cost report")
    app.add_typer(numbers_cli.app, name="numbers", help="assign, release, list and provision Twilio numbers")

    from personal_assistant.cli import keys as keys_cli

    app.add_typer(keys_cli.app, name="keys", help=keys_cli.HELP)

    from personal_assistant.cli import stats as stats_cli

    stats_cli.register(app)


_register_groups()

if __name__ == "__main__":  # pragma: no cover
    app()
