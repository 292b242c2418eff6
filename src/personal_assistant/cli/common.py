"""Shared helpers for CLI commands: run async code, print tables or JSON, fail with an exit code."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from personal_assistant.core.errors import AppError, Conflict
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


def describe_error(error: AppError) -> str:
    """The error's message once, plus only the field details it does not already say:
    "password must be at least 12 characters" (not "... (password: must be at least 12
    characters)"), "unknown role: one of standard, premium, admin"."""
    message = error.message
    if isinstance(error, Conflict):  # the message states the clash; the field is for forms
        return message
    said = " ".join(message.lower().split())
    extra = {
        name: str(why)
        for name, why in (error.fields or {}).items()
        if " ".join(str(why).lower().split()) not in said
    }
    if not extra:
        return message
    if len(extra) == 1 and next(iter(extra)) in said:
        return f"{message}: {next(iter(extra.values()))}"
    return f"{message} ({'; '.join(f'{name}: {why}' for name, why in extra.items())})"


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[red]error:[/red] {message}", soft_wrap=True, highlight=False)  # one greppable line
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


@contextlib.contextmanager
def progress_bar(total: int, description: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for long work; yields `advance(n)`.

    In a terminal the log lines written meanwhile (stderr, file descriptor 2) are held back and
    printed after the bar, so the two do not shred each other. Not in a terminal (a pipe, a
    script, CI): no bar and no redirection, logs flow as usual."""
    if not err_console.is_terminal or total <= 0:

        def ignore(n: int = 1) -> None:
            return None

        yield ignore
        return
    sys.stderr.flush()
    real_fd = os.dup(2)
    held = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    bar_console = Console(file=os.fdopen(os.dup(real_fd), "w", closefd=True), stderr=True, force_terminal=True)
    os.dup2(held.fileno(), 2)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    try:
        with Progress(*columns, console=bar_console, transient=False) as bar:
            task = bar.add_task(description, total=total)

            def advance(n: int = 1) -> None:
                bar.advance(task, n)

            yield advance
    finally:
        sys.stderr.flush()
        os.dup2(real_fd, 2)
        os.close(real_fd)
        bar_console.file.close()
        held.seek(0)
        logs = held.read()
        held.close()
        if logs:
            os.write(2, logs)
