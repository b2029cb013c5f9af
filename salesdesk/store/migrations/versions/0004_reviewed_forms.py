"""what a sign-off reviewed is kept once per fingerprint, not once per sign-off

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviewed_forms",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("form", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_reviewed_forms")),
    )
    op.execute(
        "INSERT INTO reviewed_forms (fingerprint, form) "
        "SELECT fingerprint, MIN(reviewed) FROM signoffs WHERE reviewed <> '' GROUP BY fingerprint"
    )
    with op.batch_alter_table("signoffs", schema=None) as batch_op:
        batch_op.drop_column("reviewed")
        batch_op.create_index(batch_op.f("ix_signoffs_fingerprint"), ["fingerprint"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("signoffs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signoffs_fingerprint"))
        batch_op.add_column(sa.Column("reviewed", sa.Text(), server_default="", nullable=False))
    op.execute(
        "UPDATE signoffs SET reviewed = COALESCE((SELECT form FROM reviewed_forms r "
        "WHERE r.fingerprint = signoffs.fingerprint), '')"
    )
    op.drop_table("reviewed_forms")
