"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def exact(precision: int, scale: int) -> sa.types.TypeEngine:
    """NUMERIC(p, s), but a scaled integer on SQLite (see store/schema.py ScaledDecimal)."""
    return sa.Numeric(precision, scale).with_variant(sa.BigInteger(), "sqlite")


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('entity', sa.String(length=50), nullable=False),
    sa.Column('entity_uid', sa.String(length=36), nullable=False),
    sa.Column('deal_uid', sa.String(length=36), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('field', sa.String(length=100), nullable=False),
    sa.Column('old', sa.Text(), nullable=True),
    sa.Column('new', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_deal_uid'), ['deal_uid'], unique=False)

    op.create_table('checklist_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('product_line', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_templates')),
    sa.UniqueConstraint('product_line', name=op.f('uq_checklist_templates_product_line')),
    sa.UniqueConstraint('uid', name=op.f('uq_checklist_templates_uid'))
    )
    op.create_table('customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('industry', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
    sa.UniqueConstraint('uid', name=op.f('uq_customers_uid'))
    )
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customers_name'), ['name'], unique=False)

    op.create_table('settings',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('standard_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_terms')),
    sa.UniqueConstraint('code', name=op.f('uq_standard_terms_code')),
    sa.UniqueConstraint('uid', name=op.f('uq_standard_terms_uid'))
    )
    op.create_table('team_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('phone', sa.String(length=64), nullable=False),
    sa.Column('can_sign_agreements', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('pin_hash', sa.String(length=400), nullable=True),
    sa.Column('pin_failures', sa.Integer(), nullable=False),
    sa.Column('pin_locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_members')),
    sa.UniqueConstraint('uid', name=op.f('uq_team_members_uid'))
    )
    op.create_table('checklist_template_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('help_text', sa.Text(), nullable=False),
    sa.Column('mandatory', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['checklist_templates.id'], name=op.f('fk_checklist_template_items_template_id_checklist_templates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_template_items')),
    sa.UniqueConstraint('uid', name=op.f('uq_checklist_template_items_uid'))
    )
    with op.batch_alter_table('checklist_template_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_template_items_template_id'), ['template_id'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('phone', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_contacts_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('uid', name=op.f('uq_contacts_uid'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_customer_id'), ['customer_id'], unique=False)

    op.create_table('deals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('ref', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('product_line', sa.String(length=200), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('requested_date', sa.Date(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('promised_date', sa.Date(), nullable=True),
    sa.Column('value', exact(18, 2), nullable=False),
    sa.Column('next_action_due', sa.Date(), nullable=True),
    sa.Column('needs_identified', sa.Text(), nullable=False),
    sa.Column('needs_clarified', sa.Text(), nullable=False),
    sa.Column('existing_technology', sa.Text(), nullable=False),
    sa.Column('customer_abilities', sa.Text(), nullable=False),
    sa.Column('training_recommendation', sa.Text(), nullable=False),
    sa.Column('break_in_period', sa.Text(), nullable=False),
    sa.Column('inclusions', sa.Text(), nullable=False),
    sa.Column('exclusions', sa.Text(), nullable=False),
    sa.Column('cost_overrun_handling', sa.Text(), nullable=False),
    sa.Column('disagreement_handling', sa.Text(), nullable=False),
    sa.Column('factor_override', exact(6, 2), nullable=True),
    sa.Column('factor_override_reason', sa.Text(), nullable=False),
    sa.Column('gap_handling', sa.String(length=30), nullable=True),
    sa.Column('gap_reason', sa.Text(), nullable=False),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('lost_reason', sa.Text(), nullable=False),
    sa.Column('first_shipment_date', sa.Date(), nullable=True),
    sa.Column('first_shipment_sent_on', sa.Date(), nullable=True),
    sa.Column('kickoff_override_reason', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('exported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('exported_version', sa.Integer(), nullable=True),
    sa.Column('imported_base_version', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_deals_customer_id_customers')),
    sa.ForeignKeyConstraint(['owner_id'], ['team_members.id'], name=op.f('fk_deals_owner_id_team_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deals')),
    sa.UniqueConstraint('ref', name=op.f('uq_deals_ref')),
    sa.UniqueConstraint('uid', name=op.f('uq_deals_uid'))
    )
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deals_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deals_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deals_promised_date'), ['promised_date'], unique=False)
        batch_op.create_index('ix_deals_requested', ['requested_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_deals_stage'), ['stage'], unique=False)
        batch_op.create_index('ix_deals_title', ['title'], unique=False)
        batch_op.create_index(batch_op.f('ix_deals_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_deals_value'), ['value'], unique=False)

    op.create_table('action_items',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('owner_side', sa.String(length=10), nullable=False),
    sa.Column('owner_member_id', sa.Integer(), nullable=True),
    sa.Column('owner_contact_id', sa.Integer(), nullable=True),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('due_fixed', sa.Date(), nullable=True),
    sa.Column('due_work_item_uid', sa.String(length=36), nullable=True),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_action_items_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_contact_id'], ['contacts.id'], name=op.f('fk_action_items_owner_contact_id_contacts')),
    sa.ForeignKeyConstraint(['owner_member_id'], ['team_members.id'], name=op.f('fk_action_items_owner_member_id_team_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_items')),
    sa.UniqueConstraint('uid', name=op.f('uq_action_items_uid'))
    )
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_items_deal_id'), ['deal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_items_due'), ['due'], unique=False)

    op.create_table('agreement_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('doc_id', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('snapshot_json', sa.Text(), nullable=False),
    sa.Column('snapshot_sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_agreement_revisions_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_revisions')),
    sa.UniqueConstraint('deal_id', 'number', name='uq_agreement_revisions_deal_number'),
    sa.UniqueConstraint('doc_id', name=op.f('uq_agreement_revisions_doc_id')),
    sa.UniqueConstraint('uid', name=op.f('uq_agreement_revisions_uid'))
    )
    with op.batch_alter_table('agreement_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_revisions_deal_id'), ['deal_id'], unique=False)

    op.create_table('breakdowns',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('customer_impact', sa.Text(), nullable=False),
    sa.Column('cost', exact(18, 2), nullable=False),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('logged_by_id', sa.Integer(), nullable=True),
    sa.Column('automatic', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_breakdowns_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['logged_by_id'], ['team_members.id'], name=op.f('fk_breakdowns_logged_by_id_team_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_breakdowns')),
    sa.UniqueConstraint('uid', name=op.f('uq_breakdowns_uid'))
    )
    with op.batch_alter_table('breakdowns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_breakdowns_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_breakdowns_deal_id'), ['deal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_breakdowns_occurred_on'), ['occurred_on'], unique=False)

    op.create_table('checklist_answers',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('help_text', sa.Text(), nullable=False),
    sa.Column('mandatory', sa.Boolean(), nullable=False),
    sa.Column('answer', sa.String(length=20), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['team_members.id'], name=op.f('fk_checklist_answers_answered_by_id_team_members')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_checklist_answers_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_answers')),
    sa.UniqueConstraint('uid', name=op.f('uq_checklist_answers_uid'))
    )
    with op.batch_alter_table('checklist_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_answers_deal_id'), ['deal_id'], unique=False)

    op.create_table('deal_lines',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('quantity', exact(18, 3), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('unit_price', exact(18, 4), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_deal_lines_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_lines')),
    sa.UniqueConstraint('uid', name=op.f('uq_deal_lines_uid'))
    )
    with op.batch_alter_table('deal_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deal_lines_deal_id'), ['deal_id'], unique=False)

    op.create_table('deal_terms',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('standard_term_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('non_standard', sa.Boolean(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['team_members.id'], name=op.f('fk_deal_terms_acknowledged_by_id_team_members')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['team_members.id'], name=op.f('fk_deal_terms_approved_by_id_team_members')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_deal_terms_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['standard_term_id'], ['standard_terms.id'], name=op.f('fk_deal_terms_standard_term_id_standard_terms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_terms')),
    sa.UniqueConstraint('uid', name=op.f('uq_deal_terms_uid'))
    )
    with op.batch_alter_table('deal_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deal_terms_deal_id'), ['deal_id'], unique=False)

    op.create_table('discovery_questions',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_discovery_questions_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discovery_questions')),
    sa.UniqueConstraint('uid', name=op.f('uq_discovery_questions_uid'))
    )
    with op.batch_alter_table('discovery_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discovery_questions_deal_id'), ['deal_id'], unique=False)

    op.create_table('help_contacts',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_help_contacts_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_contacts')),
    sa.UniqueConstraint('uid', name=op.f('uq_help_contacts_uid'))
    )
    with op.batch_alter_table('help_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_contacts_deal_id'), ['deal_id'], unique=False)

    op.create_table('kickoffs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('attendees_ours', sa.Text(), nullable=False),
    sa.Column('attendees_theirs', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_kickoffs_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kickoffs')),
    sa.UniqueConstraint('deal_id', name=op.f('uq_kickoffs_deal_id')),
    sa.UniqueConstraint('uid', name=op.f('uq_kickoffs_uid'))
    )
    op.create_table('objections',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('objection', sa.Text(), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_objections_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objections')),
    sa.UniqueConstraint('uid', name=op.f('uq_objections_uid'))
    )
    with op.batch_alter_table('objections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objections_deal_id'), ['deal_id'], unique=False)

    op.create_table('parties',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=10), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('responsibility', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_parties_contact_id_contacts')),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_parties_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['team_members.id'], name=op.f('fk_parties_member_id_team_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parties')),
    sa.UniqueConstraint('uid', name=op.f('uq_parties_uid'))
    )
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parties_deal_id'), ['deal_id'], unique=False)

    op.create_table('signoffs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=30), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('reviewed', sa.Text(), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_signoffs_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['team_members.id'], name=op.f('fk_signoffs_member_id_team_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signoffs')),
    sa.UniqueConstraint('uid', name=op.f('uq_signoffs_uid'))
    )
    with op.batch_alter_table('signoffs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signoffs_deal_id'), ['deal_id'], unique=False)

    op.create_table('stakeholders',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('how_they_win', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_stakeholders_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['team_members.id'], name=op.f('fk_stakeholders_member_id_team_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stakeholders')),
    sa.UniqueConstraint('uid', name=op.f('uq_stakeholders_uid'))
    )
    with op.batch_alter_table('stakeholders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stakeholders_deal_id'), ['deal_id'], unique=False)

    op.create_table('work_items',
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('task', sa.Text(), nullable=False),
    sa.Column('raw_days', exact(8, 2), nullable=False),
    sa.Column('predecessors', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('actual_start', sa.Date(), nullable=True),
    sa.Column('actual_done', sa.Date(), nullable=True),
    sa.Column('promised_due', sa.Date(), nullable=True),
    sa.Column('padded_days', sa.Integer(), nullable=True),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deals.id'], name=op.f('fk_work_items_deal_id_deals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_items')),
    sa.UniqueConstraint('uid', name=op.f('uq_work_items_uid'))
    )
    with op.batch_alter_table('work_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_items_deal_id'), ['deal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_items_department'), ['department'], unique=False)

    op.create_table('signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=10), nullable=False),
    sa.Column('signer_name', sa.String(length=200), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('image_png', sa.LargeBinary(), nullable=True),
    sa.Column('scan', sa.LargeBinary(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_signatures_contact_id_contacts')),
    sa.ForeignKeyConstraint(['member_id'], ['team_members.id'], name=op.f('fk_signatures_member_id_team_members')),
    sa.ForeignKeyConstraint(['revision_id'], ['agreement_revisions.id'], name=op.f('fk_signatures_revision_id_agreement_revisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signatures')),
    sa.UniqueConstraint('uid', name=op.f('uq_signatures_uid'))
    )
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signatures_revision_id'), ['revision_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signatures_revision_id'))

    op.drop_table('signatures')
    with op.batch_alter_table('work_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_items_department'))
        batch_op.drop_index(batch_op.f('ix_work_items_deal_id'))

    op.drop_table('work_items')
    with op.batch_alter_table('stakeholders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stakeholders_deal_id'))

    op.drop_table('stakeholders')
    with op.batch_alter_table('signoffs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signoffs_deal_id'))

    op.drop_table('signoffs')
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parties_deal_id'))

    op.drop_table('parties')
    with op.batch_alter_table('objections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objections_deal_id'))

    op.drop_table('objections')
    op.drop_table('kickoffs')
    with op.batch_alter_table('help_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_contacts_deal_id'))

    op.drop_table('help_contacts')
    with op.batch_alter_table('discovery_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discovery_questions_deal_id'))

    op.drop_table('discovery_questions')
    with op.batch_alter_table('deal_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deal_terms_deal_id'))

    op.drop_table('deal_terms')
    with op.batch_alter_table('deal_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deal_lines_deal_id'))

    op.drop_table('deal_lines')
    with op.batch_alter_table('checklist_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_answers_deal_id'))

    op.drop_table('checklist_answers')
    with op.batch_alter_table('breakdowns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_breakdowns_occurred_on'))
        batch_op.drop_index(batch_op.f('ix_breakdowns_deal_id'))
        batch_op.drop_index(batch_op.f('ix_breakdowns_category'))

    op.drop_table('breakdowns')
    with op.batch_alter_table('agreement_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_revisions_deal_id'))

    op.drop_table('agreement_revisions')
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_items_due'))
        batch_op.drop_index(batch_op.f('ix_action_items_deal_id'))

    op.drop_table('action_items')
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deals_value'))
        batch_op.drop_index(batch_op.f('ix_deals_updated_at'))
        batch_op.drop_index('ix_deals_title')
        batch_op.drop_index(batch_op.f('ix_deals_stage'))
        batch_op.drop_index('ix_deals_requested')
        batch_op.drop_index(batch_op.f('ix_deals_promised_date'))
        batch_op.drop_index(batch_op.f('ix_deals_owner_id'))
        batch_op.drop_index(batch_op.f('ix_deals_customer_id'))

    op.drop_table('deals')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_customer_id'))

    op.drop_table('contacts')
    with op.batch_alter_table('checklist_template_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_template_items_template_id'))

    op.drop_table('checklist_template_items')
    op.drop_table('team_members')
    op.drop_table('standard_terms')
    op.drop_table('settings')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customers_name'))

    op.drop_table('customers')
    op.drop_table('checklist_templates')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_deal_uid'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
