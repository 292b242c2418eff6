"""`assistant users ...`: onboard and manage accounts from the shell.

Every command calls the users/auth services (same rules as the API), writes audit events as the
"cli" actor, and exits non-zero with a clear message on failure.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import typer

from personal_assistant.cli.common import describe_error, err_console, fail, output, progress_bar, run
from personal_assistant.core.errors import AppError
from personal_assistant.db.models import User
from personal_assistant.db.session import session_scope

HELP = "create, import, list, show, disable, enable, set-role, delete users"
app = typer.Typer(no_args_is_help=True, help=HELP)

# Narrow enough for an 80-column terminal; --json (and `show`) give ids and timestamps.
LIST_COLUMNS = ("email", "name", "role", "active", "mfa", "timezone")


def _call(factory) -> Any:
    """Run one unit of work; domain errors become a message and exit code 1."""
    try:
        return run(factory)
    except AppError as exc:
        fail(describe_error(exc))


def _user_dict(user: User, *, mfa: bool, phones: list | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": str(user.id),
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "active": user.is_active,
        "timezone": user.timezone,
        "mfa": mfa,
        "created_at": user.created_at.isoformat(),
        "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
    }
    if phones is not None:
        row["phones"] = [
            {"e164": p.e164, "verified": p.verified_at is not None, "primary": p.is_primary} for p in phones
        ]
    return row


@app.command()
def create(
    email: str = typer.Option(..., help="login email"),
    password: str = typer.Option(..., help="12+ characters, not a common password"),
    name: str | None = typer.Option(None, help="display name"),
    phone: str | None = typer.Option(None, help="phone number, E.164 (+15551234567)"),
    verified: bool = typer.Option(False, "--verified", help="mark the phone verified (no SMS code)"),
    timezone: str | None = typer.Option(None, help="IANA time zone, e.g. America/New_York"),
    role: str = typer.Option("standard", help="standard | premium | admin"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Create a user who can log in right away (optionally with a verified phone)."""
    from personal_assistant.users import admin

    async def work() -> dict[str, Any]:
        async with session_scope() as session:
            user = await admin.create_user(
                session,
                email=email,
                password=password,
                name=name,
                timezone=timezone,
                role=role,
                phone=phone,
                phone_verified=verified,
            )
            return _user_dict(user, mfa=False)

    row = _call(work)
    if as_json:
        typer.echo(json.dumps(row))
    else:
        typer.echo(f"created user {row['email']} ({row['id']}), role {row['role']}, time zone {row['timezone']}")
        if role == "admin":
            typer.echo("note: admins must enable two-factor authentication before using admin endpoints")


@app.command("import")
def import_users(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="CSV or JSON-lines file"),
    verified_phones: bool = typer.Option(
        False, "--verified-phones", help="mark the imported phones verified (you checked them; no SMS code)"
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="check every row, write nothing"),
    file_format: str = typer.Option("auto", "--format", help="auto | csv | jsonl"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable result"),
) -> None:
    """Onboard many users at once from FILE: columns email, name, phone, timezone, role.

    CSV with a header line, or JSON lines (one object per line). An email that already has an
    account is skipped, so the same file can be run again after fixing its bad rows. Imported
    accounts log in with an emailed link (their password is random and unknown)."""
    from personal_assistant.cli import users_import

    if file_format not in ("auto", "csv", "jsonl"):
        fail("--format must be auto, csv or jsonl", 2)
    try:
        rows = users_import.read_rows(file, file_format)
    except (users_import.FileRefused, csv.Error) as exc:
        fail(f"{file}: {exc}")
    if not rows:
        fail(f"{file}: no rows to import")

    async def work() -> users_import.Outcome:
        with progress_bar(len(rows), "checking" if dry_run else "importing") as advance:
            return await users_import.import_rows(
                rows, verified_phones=verified_phones, dry_run=dry_run, advance=advance
            )

    outcome = run(work)
    if as_json:
        typer.echo(json.dumps(outcome.as_dict(dry_run), indent=2))
    else:
        for bad in outcome.failed:
            who = f" ({bad['email']})" if bad["email"] else ""
            err_console.print(f"[red]line {bad['line']}{who}:[/red] {bad['error']}", highlight=False, soft_wrap=True)
        verb = "would create" if dry_run else "created"
        typer.echo(
            f"{verb} {len(outcome.created)}, already there {len(outcome.existing)}, failed {len(outcome.failed)}"
            + (" (dry run: nothing was written)" if dry_run else "")
        )
        if outcome.failed and not dry_run:
            typer.echo("fix the rows above and run the same command again: existing accounts are skipped")
    if outcome.failed:
        raise typer.Exit(1)


@app.command("list")
def list_users(
    query: str | None = typer.Option(None, "--query", "-q", help="search email or name"),
    limit: int = typer.Option(200, min=1, max=10_000, help="at most this many"),
    offset: int = typer.Option(0, min=0),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """List users, oldest first."""
    from personal_assistant.users import admin

    async def work() -> tuple[list[dict[str, Any]], int]:
        async with session_scope() as session:
            users, total, mfa_on = await admin.list_users(session, limit=limit, offset=offset, query=query)
            return [_user_dict(u, mfa=u.id in mfa_on) for u in users], total

    rows, total = _call(work)
    output(rows, LIST_COLUMNS, as_json=as_json, title=f"{len(rows)} of {total} users")


@app.command()
def show(
    email_or_id: str = typer.Argument(..., help="email address or user id"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Show one user with their phones."""
    from personal_assistant.users import admin

    async def work() -> dict[str, Any]:
        async with session_scope() as session:
            user, phones, mfa_on = await admin.view_user(session, email_or_id)
            return _user_dict(user, mfa=mfa_on, phones=phones)

    row = _call(work)
    if as_json:
        typer.echo(json.dumps(row, indent=2))
        return
    for key, value in row.items():
        if key != "phones":
            typer.echo(f"{key}: {value}")
    for phone in row["phones"] or []:
        flags = ", ".join(f for f, on in (("verified", phone["verified"]), ("primary", phone["primary"])) if on)
        typer.echo(f"phone: {phone['e164']}" + (f" ({flags})" if flags else ""))


def _set_active(email_or_id: str, active: bool) -> None:
    from personal_assistant.users import admin

    async def work() -> str:
        async with session_scope() as session:
            user = await admin.set_active(session, email_or_id, active)
            return user.email

    email = _call(work)
    typer.echo(f"{'enabled' if active else 'disabled'} {email}")


@app.command()
def disable(email_or_id: str = typer.Argument(..., help="email address or user id")) -> None:
    """Disable a user: no login, sessions revoked, API tokens refused."""
    _set_active(email_or_id, False)


@app.command()
def enable(email_or_id: str = typer.Argument(..., help="email address or user id")) -> None:
    """Re-enable a disabled user."""
    _set_active(email_or_id, True)


@app.command("set-role")
def set_role(
    email_or_id: str = typer.Argument(..., help="email address or user id"),
    role: str = typer.Argument(..., help="standard | premium | admin"),
) -> None:
    """Change a user's role."""
    from personal_assistant.users import admin

    async def work() -> str:
        async with session_scope() as session:
            user = await admin.set_role(session, email_or_id, role)
            return user.email

    email = _call(work)
    typer.echo(f"{email} is now {role}")


@app.command()
def delete(
    email_or_id: str = typer.Argument(..., help="email address or user id"),
    yes: bool = typer.Option(False, "--yes", help="do not ask for confirmation"),
) -> None:
    """Delete a user and everything they own, for good."""
    from personal_assistant.users import admin

    if not yes and not typer.confirm(f"Delete {email_or_id} and all their data for good?"):
        fail("nothing deleted")

    async def work() -> str:
        async with session_scope() as session:
            user = await admin.find_user(session, email_or_id)
            email = user.email
            await admin.delete_user(session, user.id)
            return email

    email = _call(work)
    typer.echo(f"deleted {email}")
