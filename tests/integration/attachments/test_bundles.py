"""A list sent as a ZIP with the files its rows name: attached, or refused whole."""

from __future__ import annotations

import io
import os
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reunite.attachments.models import Attachment
from reunite.attachments.store import AttachmentStore
from reunite.errors import FileRejected
from reunite.exchange import limits
from reunite.exchange.models import Batch
from reunite.exchange.service import import_list
from reunite.records.models import Record

import evidence
from factories import REQUEST_HEADER, csv_bytes, write_csv, write_xlsx
from hostile import lie_about_size
from serving import REUNITE
from world import World

HEADER = [*REQUEST_HEADER, "attachments"]


def _row(external_id: str, files: str, birth: str = "2013-02-03") -> list[str]:
    return [external_id, "Бондар", "Олена", "", "F", birth, "Ізюм", "", "", files]


def _bundle(
    folder: Path,
    rows: list[list[str]],
    members: list[tuple[str, bytes]],
    *,
    name: str = "april.zip",
) -> Path:
    listing = csv_bytes(HEADER, rows).encode()
    return evidence.write_zip(folder, name, [("april.csv", listing), *members])


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _record(session: Session, world: World, external_id: str) -> Record | None:
    return session.scalar(
        select(Record).where(
            Record.party_id == world.requesting.id, Record.external_id == external_id
        )
    )


def test_a_zip_brings_the_list_and_attaches_each_rows_files(
    session: Session, world: World, store: AttachmentStore, tmp_path: Path
) -> None:
    path = _bundle(
        tmp_path,
        [_row("UA-10", "photo.jpg; medical_report:docs/med.pdf"), _row("UA-11", "")],
        [("photo.jpg", evidence.jpeg_with_gps()), ("docs/med.pdf", evidence.pdf())],
    )
    report = import_list(session, path=path, party=world.requesting, kind="requests")
    assert report.stored and report.added == 2 and report.attachments == 2
    assert "2 files attached" in report.summary()
    batch = session.get(Batch, report.batch_id)
    assert batch is not None and batch.filename == "april.zip"
    record = _record(session, world, "UA-10")
    assert record is not None and "attachments" not in record.extra
    attached = list(session.scalars(select(Attachment).where(Attachment.record_id == record.id)))
    assert sorted((a.kind, a.content_type, a.original_name) for a in attached) == [
        ("medical_report", "application/pdf", "med.pdf"),
        ("photo", "image/jpeg", "photo.jpg"),
    ]
    assert all(a.batch_id == batch.id and a.added_by is None for a in attached)
    photo = next(a for a in attached if a.kind == "photo")
    kept = store.read(photo.sha256)
    assert evidence.SECRET_COMMENT not in kept
    assert not Image.open(io.BytesIO(kept)).getexif().get_ifd(0x8825)
    again = import_list(session, path=path, party=world.requesting, kind="requests")
    assert again.already_imported and _count(session, Attachment) == 2


def test_an_xlsx_list_in_a_zip_names_its_files_too(
    session: Session, world: World, store: AttachmentStore, tmp_path: Path
) -> None:
    sheet = write_xlsx(tmp_path, "list.xlsx", HEADER, [_row("UA-20", "face.png")])
    path = evidence.write_zip(
        tmp_path, "sheet.zip", [("list.xlsx", sheet.read_bytes()), ("face.png", evidence.png())]
    )
    report = import_list(session, path=path, party=world.requesting, kind="requests")
    assert report.attachments == 1


def _damaged_member(folder: Path) -> Path:
    path = _bundle(folder, [_row("UA-10", "photo.jpg")], [("photo.jpg", evidence.png() * 50)])
    return lie_about_size(path, "photo.jpg", 10)


def _bomb(folder: Path) -> Path:
    return _bundle(
        folder, [_row("UA-10", "scan.png")], [("scan.png", evidence.png() + bytes(4 << 20))]
    )


# Each hostile ZIP, and what the refusal must say (naming the file, and the row if a row).
HOSTILE: list[tuple[str, Callable[[Path], Path], str]] = [
    (
        "a named file missing",
        lambda f: _bundle(f, [_row("UA-10", "absent.jpg")], []),
        "april.csv:2: attachments: absent.jpg is not in the ZIP",
    ),
    (
        "a program renamed .jpg",
        lambda f: _bundle(
            f, [_row("UA-10", ""), _row("UA-11", "photo.jpg")], [("photo.jpg", evidence.EXE)]
        ),
        "april.csv:3: attachments: photo.jpg: the file is a Windows program",
    ),
    (
        "a PDF with JavaScript",
        lambda f: _bundle(
            f, [_row("UA-10", "biography:bio.pdf")], [("bio.pdf", evidence.pdf_with_javascript())]
        ),
        "april.csv:2: attachments: bio.pdf: the PDF contains JavaScript",
    ),
    (
        "an encrypted PDF",
        lambda f: _bundle(
            f, [_row("UA-10", "biography:bio.pdf")], [("bio.pdf", evidence.encrypted_pdf())]
        ),
        "april.csv:2: attachments: bio.pdf: the PDF is encrypted",
    ),
    (
        "a polyglot",
        lambda f: _bundle(
            f, [_row("UA-10", "photo.jpg")], [("photo.jpg", evidence.jpeg_zip_polyglot())]
        ),
        "april.csv:2: attachments: photo.jpg: the file is also read as another kind of file",
    ),
    (
        "a PDF without its kind",
        lambda f: _bundle(f, [_row("UA-10", "bio.pdf")], [("bio.pdf", evidence.pdf())]),
        "april.csv:2: attachments: bio.pdf: say what the PDF is",
    ),
    (
        "a huge file",
        lambda f: _bundle(
            f, [_row("UA-10", "big.png")], [("big.png", os.urandom(2 << 20))], name="big.zip"
        ),
        "april.csv:2: attachments: big.png: the file is larger than 1 MB",
    ),
    (
        "a file no row names",
        lambda f: _bundle(f, [_row("UA-10", "")], [("stray.png", evidence.png())]),
        "april.zip: stray.png is in the ZIP but no row of the list names it",
    ),
    (
        "a name climbing out of the folder",
        lambda f: _bundle(f, [_row("UA-10", "../evil.png")], [("../evil.png", evidence.png())]),
        "april.zip: '../evil.png': a name in the ZIP points outside its folder",
    ),
    (
        "a name from the root",
        lambda f: _bundle(f, [_row("UA-10", "/tmp/x.png")], [("/tmp/x.png", evidence.png())]),
        "points outside its folder",
    ),
    (
        "a ZIP in the ZIP",
        lambda f: _bundle(
            f, [_row("UA-10", "more.zip")], [("more.zip", b"PK\x05\x06" + bytes(18))]
        ),
        "april.zip: more.zip: an archive inside the ZIP",
    ),
    ("a ZIP bomb", _bomb, "april.zip: scan.png: packed"),
    ("a directory that lies", _damaged_member, "photo.jpg: damaged in the ZIP and cannot be read"),
    (
        "two lists",
        lambda f: _bundle(f, [_row("UA-10", "")], [("more.csv", b"id\n1\n")]),
        "the ZIP holds several lists",
    ),
    (
        "no list",
        lambda f: evidence.write_zip(f, "april.zip", [("photo.png", evidence.png())]),
        "the ZIP holds no list",
    ),
]


@pytest.mark.parametrize(("what", "build", "says"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_or_incomplete_zip_is_refused_whole_and_nothing_is_stored(
    session: Session,
    world: World,
    store: AttachmentStore,
    tmp_path: Path,
    what: str,
    build: Callable[[Path], Path],
    says: str,
) -> None:
    batches = _count(session, Batch)
    path = build(tmp_path)
    with pytest.raises(FileRejected) as refused:
        import_list(session, path=path, party=world.requesting, kind="requests")
    told = "\n".join([refused.value.detail, *refused.value.problems])
    assert says in told, told
    assert _count(session, Batch) == batches
    assert _record(session, world, "UA-10") is None
    assert _count(session, Attachment) == 0 and store.hashes() == set()


def test_too_many_members_are_refused_before_any_is_read(
    session: Session,
    world: World,
    store: AttachmentStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "BUNDLE_MAX_MEMBERS", 3)
    names = [f"p{n}.png" for n in range(4)]
    path = _bundle(
        tmp_path,
        [_row("UA-10", "; ".join(names))],
        [(name, evidence.png((n, 0, 0))) for n, name in enumerate(names)],
    )
    with pytest.raises(FileRejected, match="the ZIP holds 5 files; at most 3 are read"):
        import_list(session, path=path, party=world.requesting, kind="requests")
    assert store.hashes() == set()


def test_a_plain_list_naming_attachments_is_told_to_come_as_a_zip(
    session: Session, world: World, store: AttachmentStore, tmp_path: Path
) -> None:
    path = write_csv(tmp_path, "plain.csv", HEADER, [_row("UA-10", "photo.jpg")])
    with pytest.raises(FileRejected, match="send the list and those files together as a ZIP"):
        import_list(session, path=path, party=world.requesting, kind="requests")


def test_with_accept_valid_a_refused_rows_files_are_not_attached(
    session: Session, world: World, store: AttachmentStore, tmp_path: Path
) -> None:
    path = _bundle(
        tmp_path,
        [_row("UA-10", "a.png"), _row("UA-11", "b.png", birth="2013-02-30")],
        [("a.png", evidence.png((1, 2, 3))), ("b.png", evidence.png((4, 5, 6)))],
    )
    with pytest.raises(FileRejected), session.begin_nested():
        import_list(session, path=path, party=world.requesting, kind="requests")
    report = import_list(
        session, path=path, party=world.requesting, kind="requests", accept_valid=True
    )
    assert report.added == 1 and report.rejected == 1 and report.attachments == 1
    assert report.errors[0].startswith("april.csv:3: birth_date:")


def _cli(env: dict[str, str], folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(REUNITE), *args], env=env, cwd=folder, capture_output=True, text=True, timeout=300
    )


def test_reunite_import_takes_a_zip_as_its_own_process(database_url: str, tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("REUNITE_") or key == "REUNITE_TEST_POSTGRES_URL"
    }
    env["REUNITE_DATABASE_URL"] = database_url
    env["REUNITE_CACHE_DIR"] = str(tmp_path / "cache")
    env["REUNITE_ATTACHMENTS_DIR"] = str(tmp_path / "store")
    for args in (("db", "upgrade"), ("party", "add", "Sought", "--role", "requesting")):
        assert _cli(env, tmp_path, *args).returncode == 0
    store = AttachmentStore(tmp_path / "store")

    bad = _bundle(
        tmp_path, [_row("UA-10", "photo.jpg")], [("photo.jpg", evidence.EXE)], name="bad.zip"
    )
    refused = _cli(env, tmp_path, "import", str(bad), "--party", "Sought", "--kind", "requests")
    assert refused.returncode != 0
    told = refused.stdout + refused.stderr
    assert "april.csv:2: attachments: photo.jpg: the file is a Windows program" in told
    assert "Traceback" not in told
    assert store.hashes() == set()

    good = _bundle(
        tmp_path,
        [_row("UA-10", "photo.jpg"), _row("UA-11", "identity_document:id.pdf")],
        [("photo.jpg", evidence.jpeg_with_gps()), ("id.pdf", evidence.pdf())],
    )
    done = _cli(env, tmp_path, "import", str(good), "--party", "Sought", "--kind", "requests")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "april.zip: stored — rows read 2, added 2" in done.stdout
    assert "2 files attached" in done.stdout
    assert len(store.hashes()) == 2
    with zipfile.ZipFile(good) as archive:
        assert archive.read("photo.jpg") != store.read(min(store.hashes()))
