"""deals.search_text: the case-folded ref, title and customer the deal list filters on

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from salesdesk.domain.search import search_key

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
    # Folded in Python: SQL lower() only knows ASCII, and a rep types "ζωή" as often as "acme".
    # (search_key is a pure function that will not change meaning; a new folding would get a new migration.)
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT d.id, d.ref, d.title, c.name FROM deals d JOIN customers c ON c.id = d.customer_id"
    )).all()
    update = sa.text("UPDATE deals SET search_text = :s WHERE id = :i")
    batch = [{"i": r[0], "s": search_key(*r[1:])} for r in rows]
    for start in range(0, len(batch), 5000):
        bind.execute(update, batch[start:start + 5000])
    op.create_index("ix_deals_search_text", "deals", ["search_text"])
    # Walking the list in ref order while filtering reads only this index until a page is found.
    op.create_index("ix_deals_ref_search", "deals", ["ref", "search_text"])


def downgrade() -> None:
    op.drop_index("ix_deals_ref_search", "deals")
    op.drop_index("ix_deals_search_text", "deals")
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.drop_column("search_text")
