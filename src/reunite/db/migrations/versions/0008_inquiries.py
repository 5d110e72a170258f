"""inquiries: the mediator's information requests to a party, a line per child, the answers

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 10:30:00.000000

An information request (issue 9) asks one party about one or more children by a due date;
the party's liaison answers each child with records of its own, a list it sent, or "not on
record". Overdue is read off the due date; only open, answered and withdrawn are stored.
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "inquiries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.Integer(), nullable=True),
        sa.Column("withdraw_reason", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "state IN ('open', 'answered', 'withdrawn')", name=op.f("ck_inquiries_state")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_inquiries_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_inquiries_party_id_parties")
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by"], ["users.id"], name=op.f("fk_inquiries_withdrawn_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiries")),
    )
    with op.batch_alter_table("inquiries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_inquiries_party_state_due", ["party_id", "state", "due_on"], unique=False
        )

    op.create_table(
        "inquiry_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("birth_date", sa.String(length=10), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer_kind", sa.String(length=20), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("answer_note", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "answer_kind IS NULL OR answer_kind IN ('records', 'batch', 'not_on_record')",
            name=op.f("ck_inquiry_items_answer_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["answered_by"], ["users.id"], name=op.f("fk_inquiry_items_answered_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_inquiry_items_batch_id_batches")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_inquiry_items_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["inquiry_id"], ["inquiries.id"], name=op.f("fk_inquiry_items_inquiry_id_inquiries")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["records.id"], name=op.f("fk_inquiry_items_request_id_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiry_items")),
    )
    with op.batch_alter_table("inquiry_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inquiry_items_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_inquiry_items_inquiry_id"), ["inquiry_id"], unique=False
        )

    op.create_table(
        "inquiry_item_records",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["inquiry_items.id"],
            name=op.f("fk_inquiry_item_records_item_id_inquiry_items"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_inquiry_item_records_record_id_records")
        ),
        sa.PrimaryKeyConstraint("item_id", "record_id", name=op.f("pk_inquiry_item_records")),
    )
    with op.batch_alter_table("inquiry_item_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inquiry_item_records_record_id"), ["record_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("inquiry_item_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inquiry_item_records_record_id"))

    op.drop_table("inquiry_item_records")
    with op.batch_alter_table("inquiry_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inquiry_items_inquiry_id"))
        batch_op.drop_index(batch_op.f("ix_inquiry_items_case_id"))

    op.drop_table("inquiry_items")
    with op.batch_alter_table("inquiries", schema=None) as batch_op:
        batch_op.drop_index("ix_inquiries_party_state_due")

    op.drop_table("inquiries")
