"""`assistant jobs`: dead letters (background jobs that failed after their retries)."""

from __future__ import annotations

import typer

from personal_assistant.cli.common import fail, output, run

app = typer.Typer(no_args_is_help=True)


@app.command("failed")
def failed(
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
    all_: bool = typer.Option(False, "--all", help="include resolved ones"),
    limit: int = typer.Option(100, help="at most this many, newest first"),
) -> None:
    """List jobs that failed after their retries."""
    from personal_assistant.workers.dead_letters import list_failed_jobs

    rows = run(lambda: list_failed_jobs(include_resolved=all_, limit=limit))
    output(
        [
            {
                "id": str(r.id),
                "task": r.task_name,
                "kwargs": r.kwargs,
                "attempts": r.attempts,
                "created_at": r.created_at.isoformat(),
                "retried_at": r.retried_at.isoformat() if r.retried_at else None,
                "resolved_at": r.resolved_at.isoformat() if r.resolved_at else None,
                # The last line of the traceback is the exception; the whole text is in --json.
                "error": r.error if as_json else (r.error.strip().splitlines() or [""])[-1][:120],
            }
            for r in rows
        ],
        ["id", "task", "attempts", "created_at", "resolved_at", "error"],
        as_json=as_json,
        title="failed jobs",
    )


@app.command("retry")
def retry(job_id: str = typer.Argument(..., help="id from `assistant jobs failed`")) -> None:
    """Re-run one failed job now, in this process; it is marked resolved when it succeeds."""
    from personal_assistant.core.errors import NotFound
    from personal_assistant.workers.dead_letters import retry_failed_job

    try:
        row = run(lambda: retry_failed_job(job_id))
    except NotFound as exc:
        fail(str(exc))
    except Exception as exc:
        fail(f"the job failed again ({type(exc).__name__}); see `assistant jobs failed`")
    typer.echo(f"{row.task_name} {job_id} re-ran successfully")
