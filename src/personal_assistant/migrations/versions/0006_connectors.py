"""connectors: health notifications, provider settings, single-use OAuth states

connectors.health_notified_at: when the person was last texted that the connection broke (at
most once per connector per day). connectors.settings: provider choices made at connect time
(Notion's parent page). event_reminders: the calendar events the sync job made a reminder for
(so a re-sync makes none); users.event_lead_minutes: how long before an event. oauth_states.used_at: a state is redeemed once; a replay is refused.
Existing rows with the old "error"/"revoked" statuses become "needs_reconnect".

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("connectors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("health_notified_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("settings", sa.JSON(), server_default=sa.text("'{}'"), nullable=False))
    with op.batch_alter_table("oauth_states", schema=None) as batch_op:
        batch_op.add_column(sa.Column("used_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_lead_minutes", sa.Integer(), nullable=True))
    op.create_table(
        "event_reminders",
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("event_key", sa.String(length=255), nullable=False),
        sa.Column("reminder_id", sa.Uuid(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["reminder_id"], ["reminders.id"], name=op.f("fk_event_reminders_reminder_id_reminders"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_event_reminders_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_reminders")),
        sa.UniqueConstraint(
            "user_id", "provider", "event_key", name=op.f("uq_event_reminders_user_id_provider_event_key")
        ),
    )
    with op.batch_alter_table("event_reminders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_reminders_user_id"), ["user_id"], unique=False)
    connectors = sa.table("connectors", sa.column("status", sa.String()))
    op.execute(
        sa.update(connectors).where(connectors.c.status.in_(("error", "revoked"))).values(status="needs_reconnect")
    )


def downgrade() -> None:
    with op.batch_alter_table("event_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_reminders_user_id"))
    op.drop_table("event_reminders")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("event_lead_minutes")
    with op.batch_alter_table("oauth_states", schema=None) as batch_op:
        batch_op.drop_column("used_at")
    with op.batch_alter_table("connectors", schema=None) as batch_op:
        batch_op.drop_column("settings")
        batch_op.drop_column("health_notified_at")
