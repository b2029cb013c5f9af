"""sign-offs remember whether they are stale (for the deal list's problem badge)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing sign-offs start as fresh; the next save of their deal sets the flag right.
    with op.batch_alter_table("signoffs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stale", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("signoffs", schema=None) as batch_op:
        batch_op.drop_column("stale")
