"""Importing party lists: cleaning, batches, corrections, history, encodings and formats."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reunite.exchange.models import Batch, BatchRow
from reunite.exchange.service import import_list
from reunite.records.models import Record
from reunite.records.service import get_record, record_versions

from factories import (
    KOVAL,
    LYSENKO,
    REQUEST_HEADER,
    REQUEST_ROWS,
    SHEVCHUK,
    make_party,
    write_csv,
    write_json,
    write_xlsx,
)


def _record(session: Session, party_id: int, external_id: str, kind: str = "requests") -> Record:
    return get_record(session, party_id=party_id, kind=kind, external_id=external_id)


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_import_cleans_and_stores_every_row(session: Session, tmp_path: Path) -> None:
    party = make_party(session)
    path = write_csv(tmp_path, "requests.csv", REQUEST_HEADER, REQUEST_ROWS)

    report = import_list(session, path=path, party=party, kind="requests")

    assert report.stored and report.added == 3 and report.rejected == 0
    lysenko = _record(session, party.id, "UA-1")
    assert (lysenko.surname, lysenko.given_name, lysenko.patronymic) == (
        "Лисенко",
        "Олександр",
        "Миколайович",
    )
    assert lysenko.sex == "M" and lysenko.birth_date == "2014-03-12"
    koval = _record(session, party.id, "UA-2")
    assert koval.sex == "F" and koval.birth_date == "2016-07"  # partial date kept partial
    shevchuk = _record(session, party.id, "UA-3")
    assert (shevchuk.surname, shevchuk.given_name) == ("Шевчук", "Дмитро")
    assert shevchuk.birth_date == "2011"
    version = record_versions(session, record=shevchuk)[0]
    assert version.original["surname"] == "ШЕВЧУК"  # the original is kept beside the clean value
    assert version.action == "added" and version.row_number == 4


def test_same_file_again_changes_nothing(session: Session, tmp_path: Path) -> None:
    party = make_party(session)
    path = write_csv(tmp_path, "requests.csv", REQUEST_HEADER, REQUEST_ROWS)
    first = import_list(session, path=path, party=party, kind="requests")

    again = import_list(session, path=path, party=party, kind="requests")

    assert again.already_imported and again.batch_id == first.batch_id
    assert "already imported" in again.summary()
    assert _count(session, Batch) == 1 and _count(session, Record) == 3


def test_later_batch_corrects_and_keeps_history(session: Session, tmp_path: Path) -> None:
    party = make_party(session)
    import_list(
        session,
        path=write_csv(tmp_path, "a.csv", REQUEST_HEADER, REQUEST_ROWS),
        party=party,
        kind="requests",
    )
    corrected = [*LYSENKO[:5], "13.03.2014", *LYSENKO[6:]]
    report = import_list(
        session,
        path=write_csv(tmp_path, "b.csv", REQUEST_HEADER, [corrected, KOVAL]),
        party=party,
        kind="requests",
    )

    assert (report.corrected, report.unchanged, report.added) == (1, 1, 0)
    record = _record(session, party.id, "UA-1")
    assert record.birth_date == "2014-03-13" and record.version == 2
    history = record_versions(session, record=record)
    assert [v.action for v in history] == ["added", "corrected"]
    assert history[1].changes == {"birth_date": ["2014-03-12", "2014-03-13"]}
    assert history[1].batch_id == report.batch_id and history[1].row_number == 2


def test_columns_absent_from_a_later_file_stay_as_they_were(
    session: Session, tmp_path: Path
) -> None:
    party = make_party(session)
    import_list(
        session,
        path=write_csv(tmp_path, "a.csv", REQUEST_HEADER, REQUEST_ROWS),
        party=party,
        kind="requests",
    )
    import_list(
        session,
        path=write_csv(tmp_path, "b.csv", ["id", "surname", "sex"], [["UA-1", "Лисенко", "ч"]]),
        party=party,
        kind="requests",
    )
    assert _record(session, party.id, "UA-1").birth_place == "Маріуполь"


def test_row_can_withdraw_a_record(session: Session, tmp_path: Path) -> None:
    party = make_party(session)
    import_list(
        session,
        path=write_csv(tmp_path, "a.csv", REQUEST_HEADER, REQUEST_ROWS),
        party=party,
        kind="requests",
    )
    report = import_list(
        session,
        path=write_csv(
            tmp_path, "w.csv", ["id", "surname", "withdrawn"], [["UA-2", "Коваль", "так"]]
        ),
        party=party,
        kind="requests",
    )
    assert report.withdrawn == 1
    record = _record(session, party.id, "UA-2")
    assert record.withdrawn
    assert [v.action for v in record_versions(session, record=record)] == ["added", "withdrawn"]


def test_withdrawing_an_unknown_record_is_a_row_error(session: Session, tmp_path: Path) -> None:
    from reunite.errors import FileRejected

    party = make_party(session)
    path = write_csv(tmp_path, "w.csv", ["id", "surname", "withdrawn"], [["UA-9", "Коваль", "yes"]])
    with pytest.raises(FileRejected) as caught:
        import_list(session, path=path, party=party, kind="requests")
    assert caught.value.problems == ["w.csv:2: id: cannot withdraw 'UA-9': no such record"]


def test_unknown_columns_are_kept_as_extra(session: Session, tmp_path: Path) -> None:
    party = make_party(session)
    path = write_csv(
        tmp_path, "x.csv", ["id", "surname", "school_number"], [["UA-1", "Лисенко", "17"]]
    )
    import_list(session, path=path, party=party, kind="requests")
    assert _record(session, party.id, "UA-1").extra == {"school_number": "17"}


@pytest.mark.parametrize(
    ("header", "encoding"),
    [
        (["ід", "прізвище", "імʼя", "по батькові", "стать", "дата народження"], "utf-8"),
        (["№", "Фамилия", "Имя", "Отчество", "Пол", "Дата рождения"], "cp1251"),
        (["ID", "Surname", "First name", "Patronymic", "Sex", "Date of birth"], "utf-16"),
        (["id", "прізвище", "ім'я", "по батькові", "стать", "дата народження"], "utf-8-sig"),
    ],
)
def test_headers_in_three_languages_and_any_encoding(
    session: Session, tmp_path: Path, header: list[str], encoding: str
) -> None:
    party = make_party(session, "Russian Federation", "custodial")
    rows = [["RU-1", "Лысенко", "Александр", "Николаевич", "м", "12.03.2014"]]
    path = write_csv(tmp_path, "list.csv", header, rows, encoding=encoding)

    report = import_list(session, path=path, party=party, kind="disclosures")

    assert report.added == 1
    record = _record(session, party.id, "RU-1", "disclosures")
    assert (record.surname, record.given_name, record.patronymic, record.sex) == (
        "Лысенко",
        "Александр",
        "Николаевич",
        "M",
    )
    assert record.birth_date == "2014-03-12"


def test_semicolon_csv_from_a_cyrillic_spreadsheet(session: Session, tmp_path: Path) -> None:
    party = make_party(session)
    path = write_csv(
        tmp_path, "excel.csv", REQUEST_HEADER, REQUEST_ROWS, encoding="cp1251", delimiter=";"
    )
    assert import_list(session, path=path, party=party, kind="requests").added == 3
    assert _record(session, party.id, "UA-1").mother_name == "Лисенко Ольга Петрівна"


def test_full_name_column_is_split_and_homoglyphs_repaired(
    session: Session, tmp_path: Path
) -> None:
    party = make_party(session)
    rows = [["UA-1", "Лисенко Олексiй Миколайович"], ["UA-2", "Oleksandr Lysenko"]]
    path = write_csv(tmp_path, "pib.csv", ["id", "ПІБ"], rows)

    import_list(session, path=path, party=party, kind="requests")

    first = _record(session, party.id, "UA-1")
    assert (first.surname, first.given_name, first.patronymic) == (
        "Лисенко",
        "Олексій",
        "Миколайович",
    )
    assert "i" not in first.given_name  # the Latin i became the Cyrillic і
    second = _record(session, party.id, "UA-2")
    assert (second.surname, second.given_name) == ("Lysenko", "Oleksandr")


def test_xlsx_and_json_lists(session: Session, tmp_path: Path) -> None:
    import datetime as dt

    party = make_party(session)
    xlsx_rows = [["UA-1", "Лисенко", "Олександр", "", "ч", dt.datetime(2014, 3, 12), "", "", ""]]
    import_list(
        session,
        path=write_xlsx(tmp_path, "l.xlsx", REQUEST_HEADER, xlsx_rows),
        party=party,
        kind="requests",
    )
    items = [{"id": "UA-2", "surname": "Коваль", "given_name": "Ганна", "birth_date": 2016}]
    import_list(session, path=write_json(tmp_path, "l.json", items), party=party, kind="requests")
    assert _record(session, party.id, "UA-1").birth_date == "2014-03-12"
    assert _record(session, party.id, "UA-2").birth_date == "2016"


def test_name_variants_cell(session: Session, tmp_path: Path) -> None:
    party = make_party(session)
    path = write_csv(
        tmp_path,
        "v.csv",
        ["id", "surname", "given_name", "name_variants"],
        [["UA-1", "Лисенко", "Олександр", "Саша; Oleksandr ;Саша"]],
    )
    import_list(session, path=path, party=party, kind="requests")
    assert _record(session, party.id, "UA-1").name_variants == "Саша; Oleksandr"


def test_batch_receipt_lists_every_row(session: Session, tmp_path: Path) -> None:
    party = make_party(session)
    path = write_csv(tmp_path, "r.csv", REQUEST_HEADER, REQUEST_ROWS)
    report = import_list(session, path=path, party=party, kind="requests")
    receipts = session.scalars(select(BatchRow).where(BatchRow.batch_id == report.batch_id)).all()
    assert sorted((r.row_number, r.external_id, r.outcome) for r in receipts) == [
        (2, "UA-1", "added"),
        (3, "UA-2", "added"),
        (4, "UA-3", "added"),
    ]
    batch = session.get(Batch, report.batch_id)
    assert batch is not None and len(batch.sha256) == 64 and batch.rows_added == 3


def test_errors_store_nothing_unless_valid_rows_are_accepted(
    session: Session, tmp_path: Path
) -> None:
    from reunite.errors import FileRejected

    party = make_party(session)
    bad_date = [*SHEVCHUK[:5], "31.02.2015", *SHEVCHUK[6:]]
    future = ["UA-4", "Бондар", "Іван", "", "ч", "01.01.2099", "", "", ""]
    too_old = ["UA-5", "Мельник", "Петро", "", "ч", "1985", "", "", ""]
    bad_sex = ["UA-6", "Ткач", "Ірина", "", "x", "2015", "", "", ""]
    rows = [LYSENKO, bad_date, KOVAL, future, too_old, bad_sex]
    path = write_csv(tmp_path, "mixed.csv", REQUEST_HEADER, rows)

    with pytest.raises(FileRejected) as caught:
        import_list(session, path=path, party=party, kind="requests")
    problems = caught.value.problems
    assert [p.split(":")[1] for p in problems] == ["3", "5", "6", "7"]
    assert all(p.startswith("mixed.csv:") for p in problems)
    assert problems[0].startswith("mixed.csv:3: birth_date: ") and "31.02.2015" in problems[0]
    assert problems[3].startswith("mixed.csv:7: sex: ")
    session.rollback()
    assert _count(session, Record) == 0

    party = make_party(session)
    rejects = tmp_path / "rejects.csv"
    report = import_list(
        session, path=path, party=party, kind="requests", accept_valid=True, rejects_path=rejects
    )
    assert (report.added, report.rejected) == (2, 4)
    import csv

    with rejects.open(encoding="utf-8") as handle:
        written = list(csv.reader(handle))
    assert written == [REQUEST_HEADER, bad_date, future, too_old, bad_sex]


def test_the_rejects_file_holds_no_live_formula(session: Session, tmp_path: Path) -> None:
    # The rejects file is opened in a spreadsheet on the mediator's side: a hostile party's
    # formulas, in a header or a cell, arrive there as text, and import back unchanged.
    import csv

    party = make_party(session)
    header = [*REQUEST_HEADER, "=cmd|'/c calc'!A1"]
    bad = ["UA-9", "Мельник", "Петро", "", "X", "2012", "", "", "", "=1+1"]
    path = write_csv(tmp_path, "formulas.csv", header, [[*LYSENKO, ""], bad])
    rejects = tmp_path / "rejects.csv"
    import_list(
        session, path=path, party=party, kind="requests", accept_valid=True, rejects_path=rejects
    )
    with rejects.open(encoding="utf-8", newline="") as handle:
        written = list(csv.reader(handle))
    assert written[0][-1] == "'=cmd|'/c calc'!A1"
    assert written[1][-1] == "'=1+1"
    from reunite.exchange.readers import open_list

    again = open_list(rejects)
    assert again.header == header
    assert next(again.rows).cells["=cmd|'/c calc'!A1"] == "=1+1"
