"""connectors: health notifications, provider settings, single-use OAuth states

connectors.health_notified_at: when the person was last texted that the connection broke (at
most once per connector per day). connectors.settings: provider choices made at connect time
(Notion's parent page). oauth_states.used_at: a state is redeemed once; a replay is refused.
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
    connectors = sa.table("connectors", sa.column("status", sa.String()))
    op.execute(
        sa.update(connectors).where(connectors.c.status.in_(("error", "revoked"))).values(status="needs_reconnect")
    )


def downgrade() -> None:
    with op.batch_alter_table("oauth_states", schema=None) as batch_op:
        batch_op.drop_column("used_at")
    with op.batch_alter_table("connectors", schema=None) as batch_op:
        batch_op.drop_column("settings")
        batch_op.drop_column("health_notified_at")
