"""`assistant stats`: the deployment's numbers, or one user's month (`--user EMAIL --month 2026-12`)."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from personal_assistant.cli.common import console, fail, run


def stats(
    days: int = typer.Option(7, min=1, max=366, help="days covered by the per-day figures (today included)"),
    user: str | None = typer.Option(None, "--user", help="one user's report (email); needs --month"),
    month: str | None = typer.Option(None, "--month", help="YYYY-MM for --user"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Users, active users (7/30 days), texts in/out per day, segments and SMS cost, LLM tokens and
    cost, reminders sent/late/missed, share of turns answered with no LLM token."""
    from personal_assistant.db.session import session_scope
    from personal_assistant.observability.stats import StatsInputError, Window, build_report, user_month_report

    if (user is None) != (month is None):
        fail("--user and --month go together: assistant stats --user EMAIL --month 2026-12", 2)

    async def work() -> dict:
        async with session_scope() as session:
            if user is not None and month is not None:
                report = await user_month_report(session, user, month)
            else:
                report = await build_report(session, Window.last_days(days))
            return report.as_dict()

    try:
        report = run(work)
    except StatsInputError as exc:
        fail(str(exc), 2)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    _print(report)


def _print(report: dict) -> None:
    window = report["window"]
    who = f" for {report['user']['email']} ({report['user']['month']})" if report.get("user") else ""
    console.print(f"[bold]Stats{who}[/bold]  {window['from'][:10]} .. {window['to'][:10]} (UTC, end exclusive)")
    if report["users"]:
        u = report["users"]
        console.print(f"users: {u['total']} ({u['active_accounts']} enabled), active 7d: {u['active_7d']}, "
                      f"active 30d: {u['active_30d']}")
    days = Table(title="texts per day (SMS)")
    for column in ("day", "in", "out"):
        days.add_column(column)
    for row in report["texts_per_day"]:
        days.add_row(row["day"], str(row["in"]), str(row["out"]))
    console.print(days)
    sms, llm, rem, turns = report["sms"], report["llm"], report["reminders"], report["turns"]
    console.print(f"SMS: {sms['texts_in']} in / {sms['texts_out']} out, segments {sms['segments_in']} in / "
                  f"{sms['segments_out']} out, cost ${sms['cost_usd']}")
    console.print(f"LLM: {llm['tokens_in']} tokens in / {llm['tokens_out']} out, cost ${llm['cost_usd']}")
    for name, p in llm["providers"].items():
        console.print(f"  {name}: {p['tokens_in']} in / {p['tokens_out']} out, ${p['cost_usd']}")
    console.print(f"reminders: {rem['sent']} sent ({rem['late']} late), {rem['missed']} missed, "
                  f"{rem['failed']} failed")
    share = "n/a" if turns["zero_token_share"] is None else f"{turns['zero_token_share']:.1%}"
    console.print(f"agent turns: {turns['total']}, answered with 0 LLM tokens: {turns['zero_token']} ({share})")
    console.print(f"[bold]total cost: ${report['total_cost_usd']}[/bold]")


def register(app: typer.Typer) -> None:
    app.command("stats")(stats)
