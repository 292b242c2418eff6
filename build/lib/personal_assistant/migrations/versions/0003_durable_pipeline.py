"""durable turn pipeline: the outbox, deferred turns, replayable tool steps, turn context

messages: attempts, next_attempt_at, claimed_until (outbox leases and retries, deferred inbound
turns), ref_id (what an outbound text is about), sealed_body (the encrypted real text of a masked
one, until it is sent). Texts stored before this revision are settled:
inbound ones count as answered and transient send failures go back to the outbox as pending, so
the first sweep neither answers old texts nor loses a failed send.
conversation_states: last_action, and one row per user (duplicates keep the newest).
agent_steps: idempotency_key and result of data-changing tool calls.
reminders: claimed_until and claimed_by go (delivery no longer leases rows).

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ref_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("sealed_body", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE messages SET status = 'answered' WHERE direction = 'inbound' AND status = 'received'")
    op.execute("UPDATE messages SET status = 'pending' WHERE direction = 'outbound' AND status IN ('send_failed', 'sending')")

    op.execute(
        """DELETE FROM conversation_states WHERE id NOT IN (
             SELECT id FROM (
               SELECT id, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY updated_at DESC) AS n
               FROM conversation_states) ranked
             WHERE n = 1)"""
    )
    with op.batch_alter_table("conversation_states", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_action", sa.JSON(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_conversation_states_user_id"), ["user_id"])

    with op.batch_alter_table("agent_steps", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("result", sa.JSON(), nullable=True))

    # Reminder delivery decides and queues in one transaction now: no lease on the row.
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("claimed_until")


def downgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
    with op.batch_alter_table("agent_steps", schema=None) as batch_op:
        batch_op.drop_column("result")
        batch_op.drop_column("idempotency_key")
    with op.batch_alter_table("conversation_states", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_conversation_states_user_id"), type_="unique")
        batch_op.drop_column("last_action")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("attempts")
        batch_op.drop_column("sealed_body")
        batch_op.drop_column("ref_id")
