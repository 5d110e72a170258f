"""A list sent as a ZIP with its attachments: the list file, and the files its rows name.

The list names each row's files in a column `attachments` (or `вкладення`, `вложения`),
separated by ";"; a name may start with the kind of file (`medical_report:RU-7-report.pdf`);
without one, a picture is a photo, and a PDF must say what it is. The ZIP comes from a party
at war, so before anything is stored:

- its directory is checked: how many members, how large unpacked, how tightly packed (a
  bomb), names that climb out of a folder or start at the root (path traversal), links,
  encryption, archives inside the archive;
- every named file must be in the ZIP, and every file in the ZIP must be named by a row;
- every named file is read through a meter (its directory entry may lie) and checked by its
  content (`attachments.files`).

Any problem refuses the whole ZIP, naming the file and the row, and nothing is stored: the
list is all or nothing, and so are its files. Nothing is ever written under a member's own
name: the list is unpacked under a fixed name, the files are kept by their hash.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from reunite.attachments.enums import AttachmentKind, FileType
from reunite.attachments.files import AttachmentRefused, CheckedFile, check_file
from reunite.attachments.service import max_attachment_bytes
from reunite.errors import FileRejected
from reunite.exchange import limits
from reunite.exchange.readers import ListFile, cell_text
from reunite.vocabulary import N_, Message, say

# The column of a list that names each row's files (folded to lower case).
ATTACHMENT_HEADERS = frozenset({"attachments", "вкладення", "вложения"})
# A member with one of these endings, at the top of the ZIP, is the list.
LIST_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".json")
# Archives are never unpacked inside an archive (a nested bomb, or files hidden from checks).
_ARCHIVE_SUFFIXES = (".zip", ".rar", ".7z", ".gz", ".tar", ".bz2", ".xz", ".jar", ".apk")
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_LINK = 0o120000
_CHUNK = 1 << 16


def is_bundle(path: Path) -> bool:
    """Tell whether a file is a ZIP carrying a list and its files (not an XLSX workbook)."""
    try:
        with path.open("rb") as handle:
            if handle.read(4) not in _ZIP_MAGIC:
                return False
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        # A damaged ZIP is left to the workbook reader, which says what is wrong with it.
        return False
    return "[Content_Types].xml" not in names


def attachment_header(header: list[str]) -> str | None:
    """Return the list's column naming attachments, if it has one."""
    return next((h for h in header if h.strip().casefold() in ATTACHMENT_HEADERS), None)


@dataclass(frozen=True)
class NamedFile:
    """A file a row names: its name in the ZIP and what kind of attachment it is."""

    member: str
    kind: str


@dataclass
class Bundle:
    """An opened ZIP: the list unpacked beside it, and its other members by name."""

    name: str
    path: Path
    list_member: str
    list_path: Path
    members: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    # Row number → the files it names (filled by `plan_attachments`).
    rows: dict[int, list[NamedFile]] = field(default_factory=dict)
    # Member name → the file as it will be kept (filled by `check_attachments`).
    checked: dict[str, CheckedFile] = field(default_factory=dict)


def _refused(template: str, **values: object) -> FileRejected:
    return FileRejected(say(template, **values))


def open_bundle(path: Path, folder: Path) -> Bundle:
    """Check a ZIP's directory and unpack its list into `folder`; refuse a hostile ZIP."""
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise _refused(N_("{file}: the ZIP is damaged and cannot be read"), file=name) from exc
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        _check_directory(infos, name, path.stat().st_size)
        lists = [
            info
            for info in infos
            if "/" not in info.filename and info.filename.lower().endswith(LIST_SUFFIXES)
        ]
        if not lists:
            raise _refused(
                N_(
                    "{file}: the ZIP holds no list (a .csv, .xlsx or .json file at its top); "
                    "put the list beside the files it names"
                ),
                file=name,
            )
        if len(lists) > 1:
            raise _refused(
                N_("{file}: the ZIP holds several lists ({names}); send one list per ZIP"),
                file=name,
                names=", ".join(info.filename for info in lists[:5]),
            )
        chosen = lists[0]
        suffix = PurePosixPath(chosen.filename).suffix.lower()
        list_path = folder / f"list{suffix}"
        with list_path.open("wb") as out:
            for block in _metered(archive, chosen, name, limit=limits.BUNDLE_MAX_UNPACKED):
                out.write(block)
        members = {info.filename: info for info in infos if info is not chosen}
    return Bundle(name, path, chosen.filename, list_path, members)


def _check_directory(infos: list[zipfile.ZipInfo], name: str, size: int) -> None:
    if len(infos) > limits.BUNDLE_MAX_MEMBERS:
        raise _refused(
            N_("{file}: the ZIP holds {count} files; at most {limit} are read"),
            file=name,
            count=f"{len(infos):,}",
            limit=f"{limits.BUNDLE_MAX_MEMBERS:,}",
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.BUNDLE_MAX_UNPACKED:
        raise _refused(
            N_("{file}: the ZIP unpacks to {size} MiB; at most {limit} MiB are read"),
            file=name,
            size=f"{unpacked / limits.MiB:,.0f}",
            limit=f"{limits.BUNDLE_MAX_UNPACKED / limits.MiB:,.0f}",
        )
    if sum(info.compress_size for info in infos) > size:
        raise _refused(
            N_("{file}: the ZIP is damaged: its files claim more bytes than it holds"), file=name
        )
    seen: set[str] = set()
    for info in infos:
        member = info.filename
        if not _safe_name(member):
            raise _refused(
                N_(
                    "{file}: {member}: a name in the ZIP points outside its folder or is not "
                    "a plain file name; the ZIP is refused"
                ),
                file=name,
                member=repr(member[:200]),
            )
        folded = member.casefold()
        if folded in seen:
            raise _refused(
                N_("{file}: {member}: the ZIP holds this name twice"), file=name, member=member
            )
        seen.add(folded)
        if (info.external_attr >> 16) & 0o170000 == _LINK:
            raise _refused(
                N_("{file}: {member}: a link, not a file; the ZIP is refused"),
                file=name,
                member=member,
            )
        if info.flag_bits & 0x1:
            raise _refused(
                N_("{file}: {member}: encrypted; send the ZIP without a password"),
                file=name,
                member=member,
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refused(
                N_("{file}: {member}: packed in a way that is not read; use plain ZIP"),
                file=name,
                member=member,
            )
        if member.lower().endswith(_ARCHIVE_SUFFIXES):
            raise _refused(
                N_("{file}: {member}: an archive inside the ZIP; archives are not unpacked"),
                file=name,
                member=member,
            )
        if (
            info.file_size >= limits.BUNDLE_RATIO_FROM
            and info.file_size > limits.BUNDLE_MAX_RATIO * max(info.compress_size, 1)
        ):
            raise _refused(
                N_(
                    "{file}: {member}: packed {ratio} times tighter than real files are "
                    "(a ZIP bomb); the ZIP is refused"
                ),
                file=name,
                member=member,
                ratio=f"{info.file_size // max(info.compress_size, 1):,}",
            )


def _safe_name(member: str) -> bool:
    if not member or len(member) > limits.BUNDLE_MAX_NAME or "\\" in member:
        return False
    if member.startswith("/") or (len(member) > 1 and member[1] == ":"):
        return False
    if any(ord(char) < 32 or ord(char) == 127 for char in member):
        return False
    parts = member.split("/")
    return all(part not in ("", ".", "..") for part in parts)


def _metered(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, *, limit: int
) -> Iterator[bytes]:
    """Yield a member's bytes, refusing it once it holds more than its entry or the limit says."""
    read = 0
    most = min(info.file_size, limit)
    try:
        with archive.open(info) as stream:
            while block := stream.read(_CHUNK):
                read += len(block)
                if read > most:
                    raise _refused(
                        N_("{file}: {member}: holds more than the ZIP's directory says (a bomb)"),
                        file=name,
                        member=info.filename,
                    )
                yield block
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise _refused(
            N_("{file}: {member}: damaged in the ZIP and cannot be read"),
            file=name,
            member=info.filename,
        ) from exc


def _read_member(bundle: Bundle, archive: zipfile.ZipFile, member: str, limit: int) -> bytes:
    info = bundle.members[member]
    if info.file_size > limit:
        # Refused by its directory entry, unread (the entry cannot claim less than it holds:
        # the metered read below refuses that).
        raise AttachmentRefused(
            say(
                N_("{file}: the file is larger than {size} MB"),
                file=member,
                size=f"{limit // (1024 * 1024):,}",
            ),
            reason="too_big",
        )
    return b"".join(_metered(archive, info, bundle.name, limit=limit))


def _split_cell(value: Any) -> list[str]:
    if isinstance(value, list):
        return [cell_text(item).strip() for item in value if cell_text(item).strip()]
    return [part.strip() for part in cell_text(value).split(";") if part.strip()]


def _named(text: str) -> tuple[str, str | None]:
    kind, colon, rest = text.partition(":")
    if colon and kind.strip() in AttachmentKind.values():
        return rest.strip(), kind.strip()
    return text, None


def plan_attachments(bundle: Bundle, listing: ListFile, header: str | None) -> list[Message]:
    """Read which files each row names; return every problem (a file missing, unnamed…)."""
    problems: list[Message] = []
    named: set[str] = set()
    list_name = bundle.list_member
    if header is not None:
        for raw in listing.rows:
            files: list[NamedFile] = []
            for text in _split_cell(raw.cells.get(header)):
                member, kind = _named(text)
                if member not in bundle.members:
                    problems.append(
                        say(
                            N_("{file}:{row}: {column}: {member} is not in the ZIP"),
                            file=list_name,
                            row=raw.number,
                            column=header,
                            member=member,
                        )
                    )
                    continue
                named.add(member)
                files.append(NamedFile(member, kind or ""))
            if files:
                bundle.rows[raw.number] = files
    else:
        listing.close()
    for member in sorted(set(bundle.members) - named):
        problems.append(
            say(
                N_("{file}: {member} is in the ZIP but no row of the list names it"),
                file=bundle.name,
                member=member,
            )
        )
    return problems


def check_attachments(bundle: Bundle) -> list[Message]:
    """Read and check every named file by its content; return every problem, by row."""
    problems: list[Message] = []
    limit = max_attachment_bytes()
    failed: dict[str, Message] = {}
    with zipfile.ZipFile(bundle.path) as archive:
        for row, files in sorted(bundle.rows.items()):
            for named in files:
                if named.member not in bundle.checked and named.member not in failed:
                    try:
                        data = _read_member(bundle, archive, named.member, limit)
                        # Without a kind, any type passes here; a PDF is then asked for one.
                        bundle.checked[named.member] = check_file(
                            data,
                            name=named.member,
                            kind=named.kind or AttachmentKind.IDENTITY_DOCUMENT.value,
                            max_bytes=limit,
                        )
                    except (AttachmentRefused, FileRejected) as exc:
                        failed[named.member] = exc.message
                reason = failed.get(named.member)
                if reason is None:
                    checked = bundle.checked[named.member]
                    if not named.kind and checked.file_type == FileType.PDF:
                        reason = say(
                            N_(
                                "{member}: say what the PDF is, e.g. medical_report:{member} "
                                "(identity_document, biography, medical_report, "
                                "psychological_report)"
                            ),
                            member=named.member,
                        )
                if reason is not None:
                    problems.append(
                        say(
                            N_("{file}:{row}: attachments: {reason}"),
                            file=bundle.list_member,
                            row=row,
                            reason=reason,
                        )
                    )
    return problems


def kind_of(named: NamedFile) -> str:
    """Return the kind of attachment a named file becomes (a picture with none: a photo)."""
    return named.kind or AttachmentKind.PHOTO.value
