"""Shared helpers for CLI commands: run async code, print tables or JSON, fail with an exit code."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from personal_assistant.db.session import dispose_engine
from personal_assistant.workers.enqueue import wait_for_published

T = TypeVar("T")
console = Console()
err_console = Console(stderr=True)


def run(factory: Callable[[], Awaitable[T]]) -> T:
    """Run one async unit of work with a fresh engine, disposing it afterwards."""

    async def wrapper() -> T:
        try:
            return await factory()
        finally:
            await dispose_engine()
            wait_for_published()  # jobs the command queued reach the broker before it exits

    return asyncio.run(wrapper())


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


def output(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, as_json: bool, title: str = "") -> None:
    if as_json:
        typer.echo(json.dumps(list(rows), default=str, indent=2))
        return
    table = Table(title=title or None)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    console.print(table)
