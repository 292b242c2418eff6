"""`assistant users import FILE`: onboard a cohort from a CSV or JSON-lines file.

Columns (CSV header) or keys (one JSON object per line): email (required), name, phone, timezone,
role. Each row is created in its own transaction through the same service as `users create`, so
one bad row never blocks the others; an email that already has an account is left as it is (a
second run of the same file creates nothing twice). Imported accounts get a random password
nobody knows: people log in with an emailed link, and texting works at once when their phone
was imported verified.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from personal_assistant.cli.common import describe_error
from personal_assistant.core.errors import AppError, NotFound

COLUMNS = ("email", "name", "phone", "timezone", "role")


class FileRefused(Exception):
    """The file as a whole cannot be read (no email column, unknown columns, not text)."""


@dataclass
class Row:
    line: int
    values: dict[str, str]
    problem: str | None = None  # already known to be bad before touching the database

    @property
    def email(self) -> str:
        return self.values.get("email", "")


@dataclass
class Outcome:
    created: list[dict[str, Any]] = field(default_factory=list)
    existing: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self, dry_run: bool) -> dict[str, Any]:
        return {"dry_run": dry_run, "created": self.created, "existing": self.existing, "failed": self.failed}


def _clean(raw: dict[Any, Any]) -> dict[str, str]:
    return {str(k).strip().lower(): ("" if v is None else str(v).strip()) for k, v in raw.items() if k is not None}


def _check_columns(names: list[str]) -> None:
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        raise FileRefused(f"unknown column {', '.join(map(repr, unknown))}; the columns are {', '.join(COLUMNS)}")
    if "email" not in names:
        raise FileRefused("the file has no email column")


def _read_csv(text: str) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise FileRefused("the file is empty")
    _check_columns([n.strip().lower() for n in reader.fieldnames])
    rows = []
    for record in reader:
        values = _clean(record)
        if not any(values.values()):
            continue  # a blank line
        problem = "more values than columns" if None in record else None
        rows.append(Row(reader.line_num, values, problem))
    return rows


def _read_json_lines(text: str) -> list[Row]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append(Row(number, {}, f"not valid JSON ({exc.msg})"))
            continue
        if not isinstance(record, dict):
            rows.append(Row(number, {}, "each line must be one JSON object"))
            continue
        values = _clean(record)
        unknown = [k for k in values if k not in COLUMNS]
        rows.append(Row(number, values, f"unknown key {', '.join(map(repr, unknown))}" if unknown else None))
    return rows


def read_rows(path: Path, file_format: str = "auto") -> list[Row]:
    """Parse the file into rows (line numbers as the operator sees them in an editor)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused("the file is not UTF-8 text") from exc
    if file_format == "auto":
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        file_format = "jsonl" if first.startswith("{") else "csv"
    rows = _read_json_lines(text) if file_format == "jsonl" else _read_csv(text)
    _mark_repeats(rows)
    return rows


def _mark_repeats(rows: list[Row]) -> None:
    """The same email twice in one file is a mistake worth showing, not a silent skip."""
    seen: dict[str, int] = {}
    for row in rows:
        if row.problem:
            continue
        if not row.email:
            row.problem = "email is missing"
            continue
        key = row.email.lower()
        if key in seen:
            row.problem = f"the same email as line {seen[key]}"
        else:
            seen[key] = row.line


async def import_row(row: Row, *, verified_phones: bool, dry_run: bool) -> str:
    """Create one account in its own transaction: "created" or "existing"; AppError if refused.
    A dry run does all the same checks and writes, then rolls back."""
    from personal_assistant.db.session import sessionmaker
    from personal_assistant.users import admin

    async with sessionmaker()() as session:
        try:
            try:
                await admin.find_user(session, row.email)
            except NotFound:
                pass
            else:
                return "existing"
            await admin.create_user(
                session,
                email=row.email,
                password=secrets.token_urlsafe(32),  # nobody knows it: log in by emailed link
                name=row.values.get("name") or None,
                timezone=row.values.get("timezone") or None,
                role=row.values.get("role") or "standard",
                phone=row.values.get("phone") or None,
                phone_verified=verified_phones and bool(row.values.get("phone")),
            )
            if dry_run:
                await session.rollback()
            else:
                await session.commit()
            return "created"
        except BaseException:
            await session.rollback()
            raise


async def import_rows(rows: list[Row], *, verified_phones: bool, dry_run: bool, advance) -> Outcome:
    """Every row, in file order; one clear error per bad row."""
    from personal_assistant.users.phones import normalise_phone

    outcome = Outcome()
    phones: dict[str, int] = {}
    for row in rows:
        entry: dict[str, Any] = {"line": row.line, "email": row.email}
        if verified_phones and not row.problem and row.values.get("phone"):
            # Checked here as well as by the service, so a dry run finds it too (it rolls back).
            try:
                e164 = normalise_phone(row.values["phone"])
            except AppError:
                pass  # the service names the problem below
            else:
                if e164 in phones:
                    row.problem = f"the same phone as line {phones[e164]}"
                phones.setdefault(e164, row.line)
        if row.problem:
            outcome.failed.append({**entry, "error": row.problem})
        else:
            try:
                result = await import_row(row, verified_phones=verified_phones, dry_run=dry_run)
            except AppError as exc:
                outcome.failed.append({**entry, "error": describe_error(exc)})
            else:
                (outcome.created if result == "created" else outcome.existing).append(entry)
        advance(1)
    return outcome
