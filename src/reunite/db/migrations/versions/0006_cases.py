"""cases: the way home from a tracing request to follow-up; rounds of return; family groups

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 09:00:00.000000

One case per sought child (issue 9): its statuses and timeline, what each step rests on
(verification and the teams' sign-offs, best interests and a panel's determination, an
adult's own consent, four-eyes approvals), tasks, family groups, rounds of return and
follow-up visits. Every tracing request stored before gets its case here, open, with the
line "case opened" on its timeline; the daily job puts those who are 18 on the adult track.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# The vocabularies as this revision knows them (cases.enums may grow; this must not change).
STATUSES = [
    "open",
    "tracing",
    "located",
    "verified",
    "contact_established",
    "return_approved",
    "in_transit",
    "reunited",
    "follow_up",
    "closed",
    "declined",
    "deceased",
    "duplicate",
    "transferred",
]
EVENT_KINDS = [
    "opened", "transition", "note", "assigned", "task", "verification", "signoff",
    "best_interests", "determination", "consent", "approval", "contact", "round", "departure",
    "handover", "follow_up", "document", "group", "track", "request",
]  # fmt: skip


def _one_of(column: str, codes: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(code) for code in codes)})"


def upgrade() -> None:
    op.create_table(
        "family_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_family_groups_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_groups")),
    )
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("route", sa.Text(), nullable=False),
        sa.Column("escort", sa.String(length=300), nullable=False),
        sa.Column("handover_point", sa.String(length=300), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_rounds_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rounds")),
    )
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rounds_planned_on"), ["planned_on"], unique=False)

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("track", sa.String(length=10), nullable=False),
        sa.Column("turning_adult", sa.Boolean(), nullable=False),
        sa.Column("disclosed_id", sa.Uuid(), nullable=True),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("assigned_to", sa.Integer(), nullable=True),
        sa.Column("family_group_id", sa.Integer(), nullable=True),
        sa.Column("adult_user_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            _one_of("status", STATUSES),
            name=op.f("ck_cases_status"),
        ),
        sa.CheckConstraint("track IN ('minor', 'adult')", name=op.f("ck_cases_track")),
        sa.ForeignKeyConstraint(
            ["adult_user_id"], ["users.id"], name=op.f("fk_cases_adult_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["assigned_to"], ["users.id"], name=op.f("fk_cases_assigned_to_users")
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["match_candidates.id"],
            name=op.f("fk_cases_candidate_id_match_candidates"),
        ),
        sa.ForeignKeyConstraint(
            ["disclosed_id"], ["records.id"], name=op.f("fk_cases_disclosed_id_records")
        ),
        sa.ForeignKeyConstraint(
            ["family_group_id"],
            ["family_groups.id"],
            name=op.f("fk_cases_family_group_id_family_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["records.id"], name=op.f("fk_cases_request_id_records")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("request_id", name=op.f("uq_cases_request_id")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_adult_user_id"), ["adult_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_assigned_to"), ["assigned_to"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_disclosed_id"), ["disclosed_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cases_family_group_id"), ["family_group_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cases_status"), ["status"], unique=False)
        batch_op.create_index("ix_cases_status_since", ["status", "status_since"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_track"), ["track"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_turning_adult"), ["turning_adult"], unique=False)

    op.create_table(
        "approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('verification', 'best_interests', 'return', 'closure')",
            name=op.f("ck_approvals_kind"),
        ),
        sa.CheckConstraint(
            "state IN ('pending', 'approved', 'sent_back')", name=op.f("ck_approvals_state")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_approvals_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_approvals_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["users.id"], name=op.f("fk_approvals_requested_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approvals")),
    )
    with op.batch_alter_table("approvals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_approvals_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_approvals_state_kind", ["state", "kind"], unique=False)

    op.create_table(
        "best_interests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("child_views", sa.Text(), nullable=False),
        sa.Column("care_arrangements", sa.Text(), nullable=False),
        sa.Column("risks", sa.Text(), nullable=False),
        sa.Column("red_flag", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_best_interests_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_best_interests_recorded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_best_interests")),
    )
    with op.batch_alter_table("best_interests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_best_interests_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("details", JSON_DOCUMENT, nullable=False),
        sa.CheckConstraint(
            _one_of("kind", EVENT_KINDS),
            name=op.f("ck_case_events_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_case_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index("ix_case_events_case_paging", ["case_id", "id"], unique=False)
        batch_op.create_index(
            "ix_case_events_kind_status_at", ["kind", "to_status", "at"], unique=False
        )

    op.create_table(
        "case_requests",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_requests_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["records.id"], name=op.f("fk_case_requests_request_id_records")
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_case_requests")),
    )
    with op.batch_alter_table("case_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_requests_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("assigned_to", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assigned_to"], ["users.id"], name=op.f("fk_case_tasks_assigned_to_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_tasks_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_case_tasks_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["done_by"], ["users.id"], name=op.f("fk_case_tasks_done_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_tasks")),
    )
    with op.batch_alter_table("case_tasks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_tasks_assigned_to"), ["assigned_to"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_case_tasks_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_tasks_due_on"), ["due_on"], unique=False)

    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("answer", sa.String(length=3), nullable=False),
        sa.Column("given_by", sa.Integer(), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint("answer IN ('yes', 'no')", name=op.f("ck_consents_answer")),
        sa.CheckConstraint("kind IN ('contact', 'return')", name=op.f("ck_consents_kind")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_consents_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["given_by"], ["users.id"], name=op.f("fk_consents_given_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consents_case_id"), ["case_id"], unique=False)

    op.create_table(
        "determinations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("panel", JSON_DOCUMENT, nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("return_in_best_interests", sa.Boolean(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_determinations_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_determinations_recorded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_determinations")),
    )
    with op.batch_alter_table("determinations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_determinations_case_id"), ["case_id"], unique=False)

    op.create_table(
        "follow_up_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("waived_reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_follow_up_visits_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_follow_up_visits_recorded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_visits")),
    )
    with op.batch_alter_table("follow_up_visits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_visits_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_visits_due_on"), ["due_on"], unique=False)

    op.create_table(
        "round_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("departed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handed_over_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("apart_reason", sa.Text(), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by"], ["users.id"], name=op.f("fk_round_members_added_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_round_members_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name=op.f("fk_round_members_round_id_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_members")),
        sa.UniqueConstraint("round_id", "case_id", name=op.f("uq_round_members_round_id_case_id")),
    )
    with op.batch_alter_table("round_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_members_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_round_members_handed_over_at", ["handed_over_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_round_members_round_id"), ["round_id"], unique=False)

    op.create_table(
        "verifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("evidence", JSON_DOCUMENT, nullable=False),
        sa.Column("child_willing", sa.String(length=3), nullable=False),
        sa.Column("family_willing", sa.String(length=3), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "child_willing IN ('yes', 'no')", name=op.f("ck_verifications_child_willing")
        ),
        sa.CheckConstraint(
            "family_willing IN ('yes', 'no')", name=op.f("ck_verifications_family_willing")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_verifications_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_verifications_recorded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verifications")),
    )
    with op.batch_alter_table("verifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verifications_case_id"), ["case_id"], unique=False)

    op.create_table(
        "verification_signoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("verification_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=12), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "side IN ('mediator', 'requesting', 'custodial')",
            name=op.f("ck_verification_signoffs_side"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_verification_signoffs_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["verification_id"],
            ["verifications.id"],
            name=op.f("fk_verification_signoffs_verification_id_verifications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_signoffs")),
        sa.UniqueConstraint(
            "verification_id", "side", name=op.f("uq_verification_signoffs_verification_id_side")
        ),
    )
    with op.batch_alter_table("verification_signoffs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_verification_signoffs_verification_id"),
            ["verification_id"],
            unique=False,
        )

    _open_cases_of_stored_requests()


def _open_cases_of_stored_requests() -> None:
    """Open a case for every tracing request already stored (set-wise, frozen here)."""
    now = sa.func.current_timestamp()
    records = sa.table("records", sa.column("id", sa.Uuid()), sa.column("kind", sa.String()))
    cases = sa.table(
        "cases",
        sa.column("id", sa.Integer()),
        sa.column("request_id", sa.Uuid()),
        sa.column("status", sa.String()),
        sa.column("status_since", sa.DateTime(timezone=True)),
        sa.column("track", sa.String()),
        sa.column("turning_adult", sa.Boolean()),
        sa.column("opened_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    events = sa.table(
        "case_events",
        *(sa.column(name) for name in ("case_id", "at", "actor", "kind", "to_status", "reason",
                                       "details")),
    )  # fmt: skip
    links = sa.table(
        "case_requests", sa.column("case_id"), sa.column("request_id"), sa.column("joined_at")
    )
    op.execute(
        cases.insert().from_select(
            [
                "request_id",
                "status",
                "status_since",
                "track",
                "turning_adult",
                "opened_at",
                "updated_at",
            ],
            sa.select(
                records.c.id, sa.literal("open"), now, sa.literal("minor"), sa.false(), now, now
            ).where(records.c.kind == "requests"),
        )  # fmt: skip
    )
    op.execute(
        events.insert().from_select(
            ["case_id", "at", "actor", "kind", "to_status", "reason", "details"],
            sa.select(
                cases.c.id,
                cases.c.opened_at,
                sa.literal("reunite"),
                sa.literal("opened"),
                sa.literal("open"),
                sa.literal(""),
                sa.literal_column("'{}'"),
            ),
        )  # fmt: skip
    )
    op.execute(
        links.insert().from_select(
            ["case_id", "request_id", "joined_at"],
            sa.select(cases.c.id, cases.c.request_id, cases.c.opened_at),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("verification_signoffs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verification_signoffs_verification_id"))

    op.drop_table("verification_signoffs")
    with op.batch_alter_table("verifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verifications_case_id"))

    op.drop_table("verifications")
    with op.batch_alter_table("round_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_members_round_id"))
        batch_op.drop_index("ix_round_members_handed_over_at")
        batch_op.drop_index(batch_op.f("ix_round_members_case_id"))

    op.drop_table("round_members")
    with op.batch_alter_table("follow_up_visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_visits_due_on"))
        batch_op.drop_index(batch_op.f("ix_follow_up_visits_case_id"))

    op.drop_table("follow_up_visits")
    with op.batch_alter_table("determinations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_determinations_case_id"))

    op.drop_table("determinations")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consents_case_id"))

    op.drop_table("consents")
    with op.batch_alter_table("case_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_tasks_due_on"))
        batch_op.drop_index(batch_op.f("ix_case_tasks_case_id"))
        batch_op.drop_index(batch_op.f("ix_case_tasks_assigned_to"))

    op.drop_table("case_tasks")
    with op.batch_alter_table("case_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_requests_case_id"))

    op.drop_table("case_requests")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index("ix_case_events_kind_status_at")
        batch_op.drop_index("ix_case_events_case_paging")

    op.drop_table("case_events")
    with op.batch_alter_table("best_interests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_best_interests_case_id"))

    op.drop_table("best_interests")
    with op.batch_alter_table("approvals", schema=None) as batch_op:
        batch_op.drop_index("ix_approvals_state_kind")
        batch_op.drop_index(batch_op.f("ix_approvals_case_id"))

    op.drop_table("approvals")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_turning_adult"))
        batch_op.drop_index(batch_op.f("ix_cases_track"))
        batch_op.drop_index("ix_cases_status_since")
        batch_op.drop_index(batch_op.f("ix_cases_status"))
        batch_op.drop_index(batch_op.f("ix_cases_family_group_id"))
        batch_op.drop_index(batch_op.f("ix_cases_disclosed_id"))
        batch_op.drop_index(batch_op.f("ix_cases_assigned_to"))
        batch_op.drop_index(batch_op.f("ix_cases_adult_user_id"))

    op.drop_table("cases")
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rounds_planned_on"))

    op.drop_table("rounds")
    op.drop_table("family_groups")
