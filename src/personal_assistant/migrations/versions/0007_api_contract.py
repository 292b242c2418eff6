"""REST API contract: idempotency keys, all-day task dates

idempotency_keys: one row per (user, Idempotency-Key) of a POST, with the answer (its body
encrypted) for 24 h, so a retry is answered again instead of acting twice.
tasks.due_date: the day of an all-day task, kept as a date (filled in from due_at in the
owner's time zone for the existing all-day tasks).

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _local_day(due_at: datetime | str, tz_name: str | None):
    moment = datetime.fromisoformat(due_at) if isinstance(due_at, str) else due_at
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    try:
        zone = ZoneInfo(tz_name or "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).date()


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_headers", sa.JSON(), nullable=True),
        sa.Column("response_encrypted", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_idempotency_keys_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_idempotency_keys_user_id_key")),
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_idempotency_keys_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_idempotency_keys_expires_at"), ["expires_at"], unique=False)

    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_date", sa.Date(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT tasks.id, tasks.due_at, users.timezone FROM tasks JOIN users ON users.id = tasks.user_id "
            "WHERE tasks.due_all_day AND tasks.due_at IS NOT NULL"
        )
    ).all()
    update = sa.text("UPDATE tasks SET due_date = :day WHERE id = :tid").bindparams(sa.bindparam("day", type_=sa.Date()))
    for task_id, due_at, tz_name in rows:  # the id goes back as the driver gave it
        bind.execute(update, {"tid": task_id, "day": _local_day(due_at, tz_name)})


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_column("due_date")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_keys_expires_at"))
        batch_op.drop_index(batch_op.f("ix_idempotency_keys_user_id"))
    op.drop_table("idempotency_keys")
