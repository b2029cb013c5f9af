"""a covering index of finished work items for the yardstick

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Only finished items, with every column the yardstick reads from them (the status too: SQLite
# reads the row for a column its query names, even one the index condition fixes). It walks this
# index day by day and never visits the (wide) rows. Kept by the database itself: nothing to fill.
COLUMNS = ["actual_done", "department", "raw_days", "actual_start", "promised_due", "deal_id", "status"]
FINISHED = "status = 'done'"


def upgrade() -> None:
    op.create_index("ix_work_items_finished", "work_items", COLUMNS,
                    sqlite_where=sa.text(FINISHED), postgresql_where=sa.text(FINISHED))


def downgrade() -> None:
    op.drop_index("ix_work_items_finished", "work_items")
