"""The list readers on arbitrary bytes: rows, or FileRejected with a reason; nothing else.

Bytes of every kind (random, CSV-like text in the encodings parties use, JSON-like text,
workbooks with a damaged part) are written under each name a list arrives with and read to
the end, as an import reads them.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reunite.errors import FileRejected
from reunite.exchange.readers import open_list

from hostile import SHEET, rezip, valid_xlsx

SUFFIXES = (".csv", ".txt", ".json", ".xlsx", "")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8-u", "latin-1")
PROPERTIES = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)

cells = st.text(
    alphabet=st.sampled_from("абвгґєіїйшщьюяыэАБВabcXYZ 0123456789,;\t\"'\r\n-.:/{}[]=+@\x00ʼ"),
    max_size=20,
)
csv_like = st.lists(st.lists(cells, max_size=8), max_size=12).map(
    lambda rows: "\n".join(",".join(row) for row in rows)
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | cells,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(cells, inner, max_size=5),
    max_leaves=30,
)


def _read_whole(data: bytes, suffix: str) -> None:
    """Open the bytes as a list and read every row: rows, or a refusal that says why."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"list{suffix}"
        path.write_bytes(data)
        try:
            opened = open_list(path)
            try:
                assert all(isinstance(name, str) for name in opened.header)
                for row in opened.rows:
                    assert isinstance(row.cells, dict) and row.number >= 2
            finally:
                opened.close()
        except FileRejected as refused:
            reason = str(refused.detail)
            assert reason.strip() and "list" in reason, "a refusal names the file and says why"


@PROPERTIES
@given(st.binary(max_size=2048), st.sampled_from(SUFFIXES))
def test_any_bytes_are_read_or_refused_with_a_reason(data: bytes, suffix: str) -> None:
    _read_whole(data, suffix)


@PROPERTIES
@given(csv_like, st.sampled_from(ENCODINGS), st.sampled_from((".csv", ".txt", "")))
def test_csv_like_text_in_any_encoding_is_read_or_refused(
    text: str, encoding: str, suffix: str
) -> None:
    _read_whole(text.encode(encoding, errors="replace"), suffix)


@PROPERTIES
@given(json_values, st.sampled_from((".json", "")), st.booleans())
def test_json_of_any_shape_is_read_or_refused(value: object, suffix: str, cut: bool) -> None:
    text = json.dumps(value, ensure_ascii=False)
    data = text.encode()
    _read_whole(data[: len(data) // 2] if cut else data, suffix)


@settings(max_examples=60, deadline=None, database=None)
@given(st.binary(max_size=600), st.sampled_from((SHEET, "[Content_Types].xml", "xl/workbook.xml")))
def test_a_workbook_with_a_damaged_part_is_read_or_refused(part: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = valid_xlsx(Path(folder))
        damaged = rezip(source, Path(folder) / "damaged.xlsx", {name: part})
        assert zipfile.is_zipfile(damaged)
        _read_whole(damaged.read_bytes(), ".xlsx")
