"""`assistant sms ...`: send a test text, usage and cost report."""

from __future__ import annotations

import json

import typer

from personal_assistant.cli.common import fail, output, run

app = typer.Typer(no_args_is_help=True)


@app.command()
def usage(
    days: int = typer.Option(7, "--days", min=1, help="how many days back"),
    turns: bool = typer.Option(False, "--turns", help="only the agent turns per day and their LLM tokens"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Texts, segments and estimated cost per user and per day, then the agent turns per day with
    the share answered at 0 LLM tokens (offline brain or safety screen)."""
    from personal_assistant.agent.turn_usage import turn_usage
    from personal_assistant.db.session import session_scope
    from personal_assistant.sms.usage import usage_report

    async def work() -> tuple[list[dict], list[dict]]:
        async with session_scope() as session:
            texts = [] if turns else [row.as_dict() for row in await usage_report(session, days)]
            return texts, [row.as_dict() for row in await turn_usage(session, days)]

    rows, turn_rows = run(work)
    if turns:
        output(turn_rows, ["day", "turns", "zero_token_turns", "zero_token_share", "tokens"], as_json=as_json,
               title=f"Agent turns, last {days} days")
        return
    output(rows, ["day", "email", "outbound", "inbound", "segments", "cost_usd"], as_json=as_json,
           title=f"SMS usage, last {days} days")
    if not as_json:
        total = sum(r["turns"] for r in turn_rows)
        free = sum(r["zero_token_turns"] for r in turn_rows)
        output(turn_rows, ["day", "turns", "zero_token_turns", "zero_token_share", "tokens"], as_json=False,
               title=f"Agent turns: {free} of {total} at 0 LLM tokens ({(free / total if total else 0):.0%})")


@app.command()
def send(
    to: str = typer.Option(..., "--to", help="E.164 number, e.g. +15551234567"),
    body: str = typer.Option(..., "--body", help="text to send"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Send a test text. To a user's verified phone it is stored in their conversation."""
    from personal_assistant.db.session import session_scope
    from personal_assistant.sms import outbox
    from personal_assistant.sms import repository as repo
    from personal_assistant.sms.numbers import check_e164

    try:
        number = check_e164(to, "to")
    except Exception:
        fail("--to must be an E.164 number like +15551234567", 2)
    if not body.strip():
        fail("--body must not be empty", 2)

    async def work() -> dict:
        async with session_scope() as session:
            user = await repo.verified_owner(session, number)
            queued = (
                await outbox.queue_text(session, user, body, "system", to_number=number, dispatch="caller")
                if user is not None
                else None
            )
        if user is None:
            status = await outbox.send_without_user(to_number=number, from_number=None, body=body, kind="system")
            return {"status": status, "message_id": None, "user_id": None}
        assert queued is not None
        status = queued.status
        if queued.stored and not queued.duplicate:
            status = (await outbox.send_claimed([outbox.claimed_of(queued.message)]))[0]  # type: ignore[arg-type]
        return {
            "status": status,
            "message_id": str(queued.message.id) if queued.message else None,
            "user_id": str(user.id),
            "segments": queued.message.segments if queued.message else None,
        }

    outcome = run(work)
    if as_json:
        typer.echo(json.dumps(outcome))
    else:
        typer.echo(" ".join(f"{k}={v}" for k, v in outcome.items() if v is not None))
    if outcome["status"] not in outbox.HANDED_OVER:
        raise typer.Exit(1)
