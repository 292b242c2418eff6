"""`assistant keys add|rotate`: encryption key versions and re-encrypting stored secrets."""

from __future__ import annotations

import json

import typer

from personal_assistant.cli.common import console, fail, progress_bar, run

app = typer.Typer(no_args_is_help=True)
HELP = "encryption keys: add a version, re-encrypt stored tokens under the newest"


@app.command("add")
def add(as_json: bool = typer.Option(False, "--json", help="machine-readable output")) -> None:
    """Print ENCRYPTION_KEYS with a new, random version appended. Deploy it (every process),
    then run `assistant keys rotate`: the newest version encrypts, every listed one decrypts."""
    from personal_assistant.config import get_settings
    from personal_assistant.core.crypto import generate_key, parse_keys

    spec = get_settings().encryption_keys
    version = max(parse_keys(spec)) + 1
    value = f"{spec.strip().rstrip(',')},{version}:{generate_key()}"
    if as_json:
        typer.echo(json.dumps({"key_version": version, "ENCRYPTION_KEYS": value}))
    else:
        console.print(f"New key version {version}. Set this everywhere, then run `assistant keys rotate`:")
        typer.echo(f"ENCRYPTION_KEYS={value}")


@app.command("rotate")
def rotate(
    batch_size: int = typer.Option(500, min=1, max=10_000, help="rows per transaction"),
    as_json: bool = typer.Option(False, "--json", help="print a JSON summary"),
) -> None:
    """Re-encrypt every stored token and secret under the newest key version, in batches.
    Safe while the app runs (old versions keep decrypting) and safe to run again."""
    from personal_assistant.connectors import rotation

    async def work() -> rotation.Summary:
        total = await rotation.count_stale()
        with progress_bar(total, f"re-encrypting under key v{rotation.newest_version()}") as advance:
            return await rotation.rotate(batch_size, advance)

    summary = run(work)
    data = summary.as_dict()
    if as_json:
        typer.echo(json.dumps(data))
    else:
        console.print(f"Re-encrypted {data['total_reencrypted']} values under key v{data['key_version']} "
                      f"({', '.join(f'{k}: {v}' for k, v in data['reencrypted'].items())}); {data['remaining']} left.")
    if data["failed"]:
        fail(f"{sum(data['failed'].values())} values could not be decrypted with the configured keys", code=2)
