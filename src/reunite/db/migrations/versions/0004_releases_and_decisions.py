"""releases that rest on a match and can be revoked, carry chosen fields; "related" decisions;
parties' names per language; jobs' messages a page can translate; photos stripped of their
metadata

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 09:00:00.000000

Existing releases were made before fields were chosen per release: they keep every field of
the record they carried then, except the family's contact details (`contact`), which no
recipient needs. Existing photos are decoded and re-encoded without their metadata (GPS,
camera, comments), as every photo is on arrival from now on; one that does not decode as a
picture is deleted (it was never shown as one).
"""

import io
import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

logger = logging.getLogger("alembic.runtime.migration")
JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

CANDIDATE_STATES = ("proposed", "confirmed", "rejected", "related", "withdrawn")
OLD_CANDIDATE_STATES = ("proposed", "confirmed", "rejected", "withdrawn")
DECISIONS = ("confirmed", "rejected", "related")
OLD_DECISIONS = ("confirmed", "rejected")
SCOPES = ("disclosure_to_party", "request_to_party", "disclosure_to_family")
# Every field a record could show when these releases were made, but the family's contact.
LEGACY_FIELDS = [
    "external_id", "surname", "given_name", "patronymic", "name_variants", "sex", "birth_date",
    "birth_place", "nationality", "mother_name", "father_name", "last_known_place",
    "separation_date", "separation_circumstances", "distinguishing_marks", "current_location",
    "institution", "extra", "photo",
]  # fmt: skip


def _one_of(column: str, codes: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(code) for code in codes)})"


def upgrade() -> None:
    with op.batch_alter_table("match_candidates", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_match_candidates_status"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_match_candidates_status"), _one_of("status", CANDIDATE_STATES)
        )
    with op.batch_alter_table("match_decisions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_match_decisions_decision"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_match_decisions_decision"), _one_of("decision", DECISIONS)
        )
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("local_names", JSON_DOCUMENT, nullable=False, server_default="{}")
        )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_data", JSON_DOCUMENT, nullable=True))
    with op.batch_alter_table("releases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("fields", JSON_DOCUMENT, nullable=True))
        batch_op.add_column(sa.Column("candidate_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("override_reason", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("revoked_by", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("revoke_reason", sa.Text(), nullable=False, server_default="")
        )
    _fill_legacy_releases()
    with op.batch_alter_table("releases", schema=None) as batch_op:
        batch_op.alter_column("scope", existing_type=sa.String(length=30), nullable=False)
        batch_op.alter_column("fields", existing_type=JSON_DOCUMENT, nullable=False)
        batch_op.create_check_constraint(op.f("ck_releases_scope"), _one_of("scope", SCOPES))
        batch_op.create_index(batch_op.f("ix_releases_candidate_id"), ["candidate_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_releases_candidate_id_match_candidates"),
            "match_candidates",
            ["candidate_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_releases_revoked_by_users"), "users", ["revoked_by"], ["id"]
        )
    _strip_photo_metadata()


def _fill_legacy_releases() -> None:
    connection = op.get_bind()
    releases = sa.table(
        "releases",
        sa.column("id", sa.Integer()),
        sa.column("record_id", sa.Uuid()),
        sa.column("to_party_id", sa.Integer()),
        sa.column("scope", sa.String()),
        sa.column("fields", sa.JSON()),
    )
    records = sa.table("records", sa.column("id", sa.Uuid()), sa.column("kind", sa.String()))
    rows = connection.execute(
        sa.select(releases.c.id, releases.c.to_party_id, records.c.kind).join(
            records, records.c.id == releases.c.record_id
        )
    ).all()
    for release_id, to_party_id, kind in rows:
        if to_party_id is None:
            scope = "disclosure_to_family"
        else:
            scope = "request_to_party" if kind == "requests" else "disclosure_to_party"
        connection.execute(
            releases.update()
            .where(releases.c.id == release_id)
            .values(scope=scope, fields=LEGACY_FIELDS)
        )


def _strip_photo_metadata() -> None:
    """Re-encode every stored photo without its metadata (Pillow, frozen here)."""
    from PIL import Image, UnidentifiedImageError

    connection = op.get_bind()
    photos = sa.table(
        "record_photos",
        sa.column("id", sa.Integer()),
        sa.column("content_type", sa.String()),
        sa.column("data", sa.LargeBinary()),
    )
    ids = [row.id for row in connection.execute(sa.select(photos.c.id))]
    for photo_id in ids:
        data = connection.scalar(sa.select(photos.c.data).where(photos.c.id == photo_id)) or b""
        try:
            with Image.open(io.BytesIO(data)) as image:
                kind = "PNG" if image.format == "PNG" else "JPEG"
                pixels = image.convert("RGBA" if kind == "PNG" else "RGB")
                # A new picture from the pixels alone: no EXIF, GPS, XMP, text or comment.
                clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
                output = io.BytesIO()
                clean.save(output, format=kind)
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            logger.warning("photo %s is not a readable picture; deleted", photo_id)
            connection.execute(photos.delete().where(photos.c.id == photo_id))
            continue
        content_type = "image/png" if kind == "PNG" else "image/jpeg"
        connection.execute(
            photos.update()
            .where(photos.c.id == photo_id)
            .values(data=output.getvalue(), content_type=content_type)
        )


def downgrade() -> None:
    with op.batch_alter_table("releases", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_releases_revoked_by_users"), type_="foreignkey")
        batch_op.drop_constraint(
            op.f("fk_releases_candidate_id_match_candidates"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_releases_candidate_id"))
        batch_op.drop_constraint(op.f("ck_releases_scope"), type_="check")
        for column in (
            "revoke_reason", "revoked_by", "revoked_at", "override_reason", "candidate_id",
            "fields", "scope",
        ):  # fmt: skip
            batch_op.drop_column(column)
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.drop_column("local_names")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("message_data")
    op.execute("UPDATE match_decisions SET decision = 'rejected' WHERE decision = 'related'")
    op.execute("UPDATE match_candidates SET status = 'rejected' WHERE status = 'related'")
    with op.batch_alter_table("match_decisions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_match_decisions_decision"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_match_decisions_decision"), _one_of("decision", OLD_DECISIONS)
        )
    with op.batch_alter_table("match_candidates", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_match_candidates_status"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_match_candidates_status"), _one_of("status", OLD_CANDIDATE_STATES)
        )
