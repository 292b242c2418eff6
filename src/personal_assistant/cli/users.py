"""`assistant users ...` (filled in by the foundation's user-management work)."""

import typer

app = typer.Typer(no_args_is_help=True)
