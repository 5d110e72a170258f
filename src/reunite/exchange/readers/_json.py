"""JSON lists: an array of objects, read item by item, each item bounded in size and depth."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import IO, Any

from reunite.errors import FileRejected
from reunite.exchange import limits
from reunite.exchange.readers._csv import too_many_columns
from reunite.exchange.readers._rows import ListFile, RawRow, unneutralise
from reunite.vocabulary import N_, Message, say

_READ = 1 << 16
_SPACE = re.compile(r"[ \t\r\n]*")


def open_json(path: Path, size: int, encoding: str) -> ListFile:
    """Open a JSON list; its header grows as objects with new keys are read."""
    name = path.name
    binary = path.open("rb")
    text = io.TextIOWrapper(binary, encoding=encoding)
    header: list[str] = []
    known: set[str] = set()

    def rows() -> Generator[RawRow, None, None]:
        number = 1
        try:
            for item in _iter_json_array(text, name):
                number += 1
                if not isinstance(item, dict):
                    raise FileRejected(
                        say(
                            N_(
                                "{file}: item {number} is a {kind}, not an object; a JSON list "
                                "must be an array of objects, one per person"
                            ),
                            file=name,
                            number=number - 1,
                            kind=type(item).__name__,
                        )
                    )
                values: dict[str, Any] = {}
                problem = None
                for key, value in item.items():
                    column = str(key).strip()
                    if column not in known:
                        known.add(column)
                        header.append(column)
                        if len(header) > limits.MAX_COLUMNS:
                            raise FileRejected(too_many_columns(name, len(header)))
                    if isinstance(value, dict | list):
                        problem = (column, say(N_("a nested value; give plain text")))
                    values[column] = _json_scalar(value)
                yield RawRow(number, values, problem=problem)
        except UnicodeDecodeError as exc:
            raise FileRejected(
                say(
                    N_(
                        "{file}: bytes that are not valid {encoding} ({reason}); save the file "
                        "as UTF-8 and send it again (on the command line, give its encoding "
                        "instead: --encoding cp1251, for example)"
                    ),
                    file=name,
                    encoding=encoding,
                    reason=exc.reason,
                )
            ) from exc
        except RecursionError as exc:  # a nested value just within the decoder's depth
            raise FileRejected(too_deep(name, number - 1)) from exc
        finally:
            text.close()

    rows_iter = rows()
    first = next(rows_iter, None)

    def chained() -> Iterator[RawRow]:
        if first is not None:
            yield first
            yield from rows_iter

    if first is None:
        rows_iter.close()
    return ListFile(
        path, "json", encoding, header, chained(), size, position=binary.tell, release=text.close
    )


def too_deep(name: str, number: int) -> Message:
    """Say that an item nests deeper than the decoder goes."""
    return say(
        N_(
            "{file}: item {number} is nested too deeply to read; a person is one flat object "
            "of names and values"
        ),
        file=name,
        number=number,
    )


def _json_scalar(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return unneutralise(str(value))


def _iter_json_array(text: IO[str], name: str) -> Iterator[Any]:
    """Yield the items of a top-level JSON array one by one, without loading the whole file."""
    decoder = json.JSONDecoder()
    buffer = text.read(_READ).lstrip("\ufeff \t\r\n")
    if not buffer.startswith("["):
        template = (
            N_("{file}: the JSON is an object; a list must be an array of objects")
            if buffer.startswith("{")
            else N_("{file}: the JSON is not an array; a list must be an array of objects")
        )
        raise FileRejected(say(template, file=name))
    position = 1
    expect_item = True
    items = 0
    while True:
        while True:
            position = _SPACE.match(buffer, position).end()  # type: ignore[union-attr]
            if position < len(buffer):
                break
            more = text.read(_READ)
            if not more:
                raise FileRejected(
                    say(N_("{file}: the JSON array is not closed (truncated file?)"), file=name)
                )
            buffer, position = more, 0
        char = buffer[position]
        if char == "]":
            return
        if char == "," and not expect_item:
            position += 1
            expect_item = True
            continue
        if not expect_item:
            raise FileRejected(
                say(
                    N_("{file}: broken JSON near character {position}: expected ','"),
                    file=name,
                    position=position,
                )
            )
        items += 1
        item, position, buffer = _decode_item(decoder, text, buffer, position, name, items)
        yield item
        expect_item = False
        if position > (1 << 20):
            buffer, position = buffer[position:], 0


def _decode_item(
    decoder: json.JSONDecoder, text: IO[str], buffer: str, position: int, name: str, number: int
) -> tuple[Any, int, str]:
    """Decode the item starting at `position`, reading more of the file while it is cut."""
    while True:
        try:
            item, end = decoder.raw_decode(buffer, position)
            return item, end, buffer
        except json.JSONDecodeError as exc:
            more = text.read(_READ)
            if not more:
                raise FileRejected(
                    say(N_("{file}: broken JSON: {problem}"), file=name, problem=exc.msg)
                ) from exc
            buffer, position = buffer[position:] + more, 0
            if len(buffer) > limits.JSON_MAX_ITEM_CHARS:
                raise FileRejected(
                    say(
                        N_(
                            "{file}: item {number} is longer than {limit} characters; one "
                            "person's record is far shorter"
                        ),
                        file=name,
                        number=number,
                        limit=f"{limits.JSON_MAX_ITEM_CHARS:,}",
                    )
                ) from exc
        except RecursionError as exc:
            raise FileRejected(too_deep(name, number)) from exc
        except ValueError as exc:
            # Python refuses to turn a number of more than 4,300 digits into an int.
            raise FileRejected(
                say(
                    N_("{file}: item {number} holds a number too long to read; give it as text"),
                    file=name,
                    number=number,
                )
            ) from exc
