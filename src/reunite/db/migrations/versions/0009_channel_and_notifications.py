"""channel and notifications: family news messages, their photos, calls; who is told what

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 10:13:21.653626

The channel between a child and their family (issue 10): messages moderated by the mediator
with the time of each state, their photos (re-encoded, no metadata), calls (never their
content); notifications in the app and by e-mail, for which an account may now hold an
e-mail address.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _one_of(column: str, codes: Sequence[str]) -> str:
    """The check of a vocabulary as this revision knows it (the enums may grow later)."""
    return f"{column} IN (" + ", ".join(f"'{code}'" for code in codes) + ")"


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("link", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mail_state", sa.String(length=10), nullable=False),
        sa.Column("mailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            _one_of(
                "kind",
                [
                    "message_to_moderate",
                    "message_to_deliver",
                    "message_received",
                    "message_delivered",
                    "message_returned",
                    "case_step",
                    "record_released",
                    "inquiry",
                    "call",
                ],
            ),
            name=op.f("ck_notifications_kind"),
        ),
        sa.CheckConstraint(
            _one_of("mail_state", ["none", "pending", "sent"]),
            name=op.f("ck_notifications_mail_state"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index("ix_notifications_mail", ["mail_state", "user_id"], unique=False)
        batch_op.create_index("ix_notifications_user_unread", ["user_id", "read_at"], unique=False)

    op.create_table(
        "channel_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_note", sa.Text(), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=True),
        sa.Column("proposed_by", sa.Integer(), nullable=True),
        sa.Column("agreed_by", sa.Integer(), nullable=True),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            _one_of("state", ["requested", "proposed", "agreed", "held", "not_held", "cancelled"]),
            name=op.f("ck_channel_calls_state"),
        ),
        sa.ForeignKeyConstraint(
            ["agreed_by"], ["users.id"], name=op.f("fk_channel_calls_agreed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_channel_calls_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by"], ["users.id"], name=op.f("fk_channel_calls_proposed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_channel_calls_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["users.id"], name=op.f("fk_channel_calls_requested_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_calls")),
    )
    with op.batch_alter_table("channel_calls", schema=None) as batch_op:
        batch_op.create_index("ix_channel_calls_case", ["case_id", "id"], unique=False)

    op.create_table(
        "channel_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("sender_name", sa.String(length=120), nullable=False),
        sa.Column("recipient_name", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("findings", JSON_DOCUMENT, nullable=False),
        sa.Column("written_by", sa.Integer(), nullable=True),
        sa.Column("reply_to", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("moderated_by", sa.Integer(), nullable=True),
        sa.Column("moderated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("return_reason", sa.Text(), nullable=False),
        sa.Column("delivered_by", sa.Integer(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            _one_of("direction", ["to_child", "to_family"]),
            name=op.f("ck_channel_messages_direction"),
        ),
        sa.CheckConstraint(
            _one_of("state", ["draft", "submitted", "approved", "returned", "delivered", "read"]),
            name=op.f("ck_channel_messages_state"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_channel_messages_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["delivered_by"], ["users.id"], name=op.f("fk_channel_messages_delivered_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["moderated_by"], ["users.id"], name=op.f("fk_channel_messages_moderated_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["reply_to"],
            ["channel_messages.id"],
            name=op.f("fk_channel_messages_reply_to_channel_messages"),
        ),
        sa.ForeignKeyConstraint(
            ["written_by"], ["users.id"], name=op.f("fk_channel_messages_written_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_messages")),
    )
    with op.batch_alter_table("channel_messages", schema=None) as batch_op:
        batch_op.create_index("ix_channel_messages_case", ["case_id", "id"], unique=False)
        batch_op.create_index("ix_channel_messages_state", ["state", "submitted_at"], unique=False)

    op.create_table(
        "channel_message_photos",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["channel_messages.id"],
            name=op.f("fk_channel_message_photos_message_id_channel_messages"),
        ),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_channel_message_photos")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("email")

    op.drop_table("channel_message_photos")
    with op.batch_alter_table("channel_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_channel_messages_state")
        batch_op.drop_index("ix_channel_messages_case")

    op.drop_table("channel_messages")
    with op.batch_alter_table("channel_calls", schema=None) as batch_op:
        batch_op.drop_index("ix_channel_calls_case")

    op.drop_table("channel_calls")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_user_unread")
        batch_op.drop_index("ix_notifications_mail")

    op.drop_table("notifications")
