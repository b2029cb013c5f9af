"""indexes for the yardstick over finished work items

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A delivered deal's last finish, calibration's "last N items of a department", a period's items.
    op.create_index("ix_work_items_deal_done", "work_items", ["deal_id", "actual_done"])
    op.create_index("ix_work_items_department_done", "work_items", ["department", "actual_done"])
    op.create_index("ix_work_items_done", "work_items", ["actual_done"])


def downgrade() -> None:
    op.drop_index("ix_work_items_done", "work_items")
    op.drop_index("ix_work_items_department_done", "work_items")
    op.drop_index("ix_work_items_deal_done", "work_items")
