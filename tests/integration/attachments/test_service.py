"""Attaching files to records and cases, and who sees them: need to know, audited."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from reunite.attachments.models import Attachment
from reunite.attachments.service import (
    attach_to_case,
    attach_to_record,
    case_attachments,
    forget_unused_files,
    open_attachment,
    record_attachments,
)
from reunite.attachments.store import AttachmentStore
from reunite.cases.service import case_of_request
from reunite.errors import InvalidInput, NotFound
from reunite.flows.review import decide_pair
from reunite.records.models import Record
from reunite.review.models import MatchCandidate

import evidence
from .conftest import pending_actions
from world import World


def _attach(session: Session, world: World, who: str, record, data: bytes, kind: str, name: str):
    return attach_to_record(
        session,
        principal=world.principals[who],
        record_id=str(record),
        data=data,
        name=name,
        kind=kind,
    )


def _rows(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Attachment)) or 0


def test_a_photo_is_kept_by_hash_without_its_metadata(
    session: Session, world: World, store: AttachmentStore
) -> None:
    original = evidence.jpeg_with_gps()
    stored = _attach(
        session, world, "caseworker", world.request, original, "photo", "../../etc/child.jpg"
    )
    attachment = stored.attachment
    assert stored.new
    assert attachment.content_type == "image/jpeg" and attachment.kind == "photo"
    assert attachment.original_name == "child.jpg"  # shown as data, no path
    assert attachment.added_by == world.users["caseworker"].id
    kept = store.path_of(attachment.sha256).read_bytes()
    assert hashlib.sha256(kept).hexdigest() == attachment.sha256 and len(kept) == attachment.size
    assert evidence.SECRET_COMMENT not in kept
    assert not Image.open(io.BytesIO(kept)).getexif().get_ifd(0x8825)
    # Nothing but the file itself is left in the store (no temporary files).
    assert [p.name for p in store.root.rglob("*") if p.is_file()] == [attachment.sha256]
    assert pending_actions(session)[-1] == "attachment.add"


def test_the_same_file_twice_is_one_row_and_one_file(
    session: Session, world: World, store: AttachmentStore
) -> None:
    data = evidence.pdf()
    first = _attach(session, world, "caseworker", world.request, data, "biography", "a.pdf")
    again = _attach(session, world, "admin", world.request, data, "biography", "b.pdf")
    assert not again.new and again.attachment.id == first.attachment.id
    other = _attach(session, world, "caseworker", world.disclosure, data, "biography", "c.pdf")
    assert other.new and other.attachment.sha256 == first.attachment.sha256
    assert _rows(session) == 2
    assert store.hashes() == {first.attachment.sha256}


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (lambda: evidence.EXE, "a Windows program"),
        (evidence.pdf_with_javascript, "JavaScript"),
        (evidence.encrypted_pdf, "encrypted"),
        (evidence.jpeg_zip_polyglot, "another kind of file"),
        (lambda: evidence.png() + bytes(2 << 20), "larger than 1 MB"),
    ],
)
def test_a_hostile_file_is_refused_and_nothing_is_kept(
    session: Session, world: World, store: AttachmentStore, build, reason: str
) -> None:
    with pytest.raises(InvalidInput, match=reason):
        _attach(session, world, "caseworker", world.request, build(), "biography", "child.jpg")
    assert _rows(session) == 0
    assert store.hashes() == set()
    assert pending_actions(session)[-1] == "attachment.refused"


def test_who_may_attach_to_a_record(session: Session, world: World, store: AttachmentStore) -> None:
    data = evidence.png()
    # A liaison adds evidence to its own party's records.
    assert _attach(session, world, "liaison_custodial", world.disclosure, data, "photo", "p.png")
    # Not to the other party's record, even one released to it; a family or adult, never.
    for who, record in (
        ("liaison_requesting", world.released),
        ("liaison_requesting", world.disclosure),
        ("liaison_custodial", world.request),
        ("family", world.request),
        ("adult", world.request),
        ("auditor", world.request),
    ):
        with pytest.raises(NotFound):
            _attach(session, world, who, record, data, "photo", "p.png")
    assert _rows(session) == 1


# Who sees a record's photo and its identity document; the recipient of a release (the
# requesting party, of RU-1) sees the photo only.
BOTH = {"photo", "identity_document"}
SEES = {
    "admin": {"request": BOTH, "released": BOTH},
    "caseworker": {"request": BOTH, "released": BOTH},
    "liaison_requesting": {"request": BOTH, "released": {"photo"}},
    "liaison_custodial": {"request": None, "released": BOTH},
    "family": {"request": BOTH, "released": None},
    "adult": {"request": None, "released": None},
    "auditor": {"request": None, "released": None},
}  # fmt: skip


def test_need_to_know_decides_which_attachments_each_role_sees(
    session: Session, world: World, store: AttachmentStore
) -> None:
    made: dict[str, dict[str, int]] = {}
    for label, record in (("request", world.request), ("released", world.released)):
        photo = _attach(session, world, "caseworker", record, evidence.png(), "photo", "p.png")
        document = _attach(
            session, world, "caseworker", record, evidence.pdf(), "identity_document", "id.pdf"
        )
        made[label] = {"photo": photo.attachment.id, "identity_document": document.attachment.id}
    withheld = _attach(session, world, "caseworker", world.withheld, evidence.png(), "photo", "w")
    for who, expected in SEES.items():
        principal = world.principals[who]
        for label, record_id in (("request", world.request), ("released", world.released)):
            allowed = expected[label] or set()
            record = session.get(Record, record_id)
            assert record is not None
            if expected[label] is not None:
                listed = record_attachments(session, principal=principal, record=record)
                assert {a.kind for a in listed} == allowed, (who, label)
            for kind, attachment_id in made[label].items():
                if kind in allowed:
                    download = open_attachment(
                        session, principal=principal, attachment_id=attachment_id
                    )
                    assert download.data == store.read(download.attachment.sha256)
                    assert pending_actions(session)[-1] == "attachment.read"
                else:
                    with pytest.raises(NotFound):
                        open_attachment(session, principal=principal, attachment_id=attachment_id)
                    assert pending_actions(session)[-1] == "attachment.read.refused"
        if who not in ("admin", "caseworker", "liaison_custodial"):
            with pytest.raises(NotFound):
                open_attachment(session, principal=principal, attachment_id=withheld.attachment.id)


def test_a_family_guessing_ids_finds_nothing(
    session: Session, world: World, store: AttachmentStore
) -> None:
    other = _attach(session, world, "caseworker", world.disclosure, evidence.png(), "photo", "x")
    family = world.principals["family"]
    for guess in (other.attachment.id, other.attachment.id + 1, 999_999):
        with pytest.raises(NotFound, match="no such attachment"):
            open_attachment(session, principal=family, attachment_id=guess)
    assert pending_actions(session)[-3:] == ["attachment.read.refused"] * 3


def test_a_revoked_release_hides_the_photo_again(
    session: Session, world: World, store: AttachmentStore
) -> None:
    from reunite.sharing.models import Release
    from reunite.sharing.service import revoke_release

    photo = _attach(session, world, "caseworker", world.released, evidence.png(), "photo", "p")
    liaison = world.principals["liaison_requesting"]
    assert open_attachment(session, principal=liaison, attachment_id=photo.attachment.id)
    release = session.scalar(select(Release).where(Release.record_id == world.released))
    assert release is not None
    revoke_release(
        session,
        principal=world.principals["caseworker"],
        release_id=release.id,
        reason="released by mistake to the wrong team",
    )
    with pytest.raises(NotFound):
        open_attachment(session, principal=liaison, attachment_id=photo.attachment.id)


def test_a_case_carries_attachments_seen_by_whoever_sees_the_case(
    session: Session, world: World, store: AttachmentStore
) -> None:
    case = case_of_request(session, request_id=world.request)
    assert case is not None
    staff = world.principals["caseworker"]
    report = attach_to_case(
        session, principal=staff, case_id=case.id, data=evidence.pdf(), name="report.pdf",
        kind="psychological_report",
    )  # fmt: skip
    photo = attach_to_case(
        session, principal=staff, case_id=case.id, data=evidence.png(), name="p.png", kind="photo"
    )
    for who in ("liaison_requesting", "family", "adult"):
        with pytest.raises(NotFound):
            attach_to_case(
                session, principal=world.principals[who], case_id=case.id, data=evidence.png(),
                name="p.png", kind="photo",
            )  # fmt: skip

    def kinds(who: str) -> set[str] | None:
        try:
            found = case_attachments(session, principal=world.principals[who], case_id=case.id)
        except NotFound:
            return None
        return {a.kind for a in found}

    assert kinds("caseworker") == {"photo", "psychological_report"}
    assert kinds("liaison_requesting") == {"photo", "psychological_report"}
    # A family sees its case's photos; the reports about the child are for the teams.
    assert kinds("family") == {"photo"}
    with pytest.raises(NotFound):
        open_attachment(
            session, principal=world.principals["family"], attachment_id=report.attachment.id
        )
    assert open_attachment(
        session, principal=world.principals["family"], attachment_id=photo.attachment.id
    )
    # The custodial party sees the case once its child was located in its records.
    assert kinds("liaison_custodial") is None and kinds("adult") is None
    with pytest.raises(NotFound):
        open_attachment(
            session,
            principal=world.principals["liaison_custodial"],
            attachment_id=report.attachment.id,
        )
    candidate = MatchCandidate(
        request_id=world.request, disclosed_id=world.released, probability=0.97,
        engine_decision="match", rival="relative", explanation=[], status="proposed",
    )  # fmt: skip
    session.add(candidate)
    session.flush()
    decide_pair(
        session, principal=staff, candidate_id=candidate.id, decision="confirmed",
        reason="photo and parents agree",
    )  # fmt: skip
    assert kinds("liaison_custodial") == {"photo", "psychological_report"}
    assert kinds("auditor") is None


def test_files_left_by_a_rolled_back_transaction_are_forgotten(
    session: Session, world: World, store: AttachmentStore
) -> None:
    kept = _attach(session, world, "caseworker", world.request, evidence.png(), "photo", "p")
    stray = store.put(evidence.pdf())
    assert forget_unused_files(session, store=store) == 0  # too young: may not be committed yet
    assert forget_unused_files(session, store=store, older_than=0) == 1
    assert store.hashes() == {kept.attachment.sha256} and not store.holds(stray)


def test_the_daily_sweep_is_a_job_the_worker_queues(
    session: Session, world: World, store: AttachmentStore
) -> None:
    from reunite.attachments.jobs import SWEEP_JOB, run_sweep
    from reunite.jobs.service import JobContext
    from reunite.wiring import daily_job_kinds, job_handlers

    assert SWEEP_JOB in daily_job_kinds() and job_handlers()[SWEEP_JOB] is run_sweep
    store.put(evidence.pdf())
    context = JobContext(
        job_id=1,
        kind=SWEEP_JOB,
        payload={},
        worker="test",
        sessions=sessionmaker(),
        session=session,
    )
    assert str(run_sweep(context)).startswith("removed 0 stored files")


def test_a_file_put_again_is_young_again_for_the_sweep(
    session: Session, world: World, store: AttachmentStore
) -> None:
    import os

    sha256 = store.put(evidence.pdf())
    old = store.path_of(sha256).stat().st_mtime - 7200
    os.utime(store.path_of(sha256), (old, old))
    assert store.age(sha256) > 3600
    store.put(evidence.pdf())
    assert store.age(sha256) < 60
    assert forget_unused_files(session, store=store) == 0 and store.holds(sha256)
