"""`assistant numbers ...`: dedicated and shared Twilio numbers."""

from __future__ import annotations

import json

import typer

from personal_assistant.cli.common import fail, output, run
from personal_assistant.core.errors import AppError

app = typer.Typer(no_args_is_help=True)


def _run_or_fail(factory):
    try:
        return run(factory)
    except AppError as exc:
        fail(exc.message)


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="machine-readable output")) -> None:
    """Every number of this deployment and who owns it."""
    from personal_assistant.db.session import session_scope
    from personal_assistant.sms.numbers import list_numbers

    async def work() -> list[dict]:
        async with session_scope() as session:
            return [row.as_dict() for row in await list_numbers(session)]

    output(_run_or_fail(work), ["number", "owner", "twilio_sid", "assigned_at"], as_json=as_json, title="Numbers")


@app.command()
def assign(
    number: str = typer.Argument(..., help="E.164 number this deployment owns at Twilio"),
    user: str = typer.Option(..., "--user", help="the user's email or id"),
) -> None:
    """Make an existing Twilio number a user's dedicated number."""
    from personal_assistant.db.session import session_scope
    from personal_assistant.sms.numbers import assign_number

    async def work() -> str:
        async with session_scope() as session:
            row = await assign_number(session, number, user)
            return row.e164

    typer.echo(f"{_run_or_fail(work)} assigned")


@app.command()
def release(
    number: str = typer.Argument(..., help="E.164 number"),
    from_twilio: bool = typer.Option(False, "--from-twilio", help="also release it at Twilio (stops billing)"),
) -> None:
    """Take a dedicated number away from its user (and optionally give it back to Twilio)."""
    from personal_assistant.db.session import session_scope
    from personal_assistant.sms.numbers import release_number

    async def work() -> None:
        async with session_scope() as session:
            await release_number(session, number, from_twilio=from_twilio)

    _run_or_fail(work)
    typer.echo(f"{number} released" + (" at Twilio" if from_twilio else ""))


@app.command()
def provision(
    area_code: str | None = typer.Option(None, "--area-code", help="search this area code"),
    country: str = typer.Option("US", "--country", help="ISO country code"),
    number: str | None = typer.Option(None, "--number", help="buy exactly this number"),
    user: str | None = typer.Option(None, "--user", help="assign it to this user (email or id)"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Buy a number through Twilio with its SMS webhook set to PUBLIC_BASE_URL/webhooks/twilio/sms."""
    from personal_assistant.db.session import session_scope
    from personal_assistant.sms.numbers import provision_number
    from personal_assistant.sms.twilio_client import TwilioNotConfigured

    async def work() -> dict:
        async with session_scope() as session:
            row = await provision_number(session, area_code=area_code, country=country, number=number,
                                         user_ref=user)
            return {"number": row.e164, "twilio_sid": row.twilio_sid,
                    "user_id": str(row.user_id) if row.user_id else None}

    try:
        result = _run_or_fail(work)
    except TwilioNotConfigured as exc:
        fail(str(exc))
    typer.echo(json.dumps(result) if as_json else f"{result['number']} provisioned ({result['twilio_sid']})")
