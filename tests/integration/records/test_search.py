"""Name search: any script or transliteration finds the child, need to know decides who sees it."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Session

from reunite.audit.models import AuditEntry
from reunite.audit.service import write_pending
from reunite.auth.principal import Principal
from reunite.auth.service import create_user, principal_of
from reunite.db.base import utcnow
from reunite.db.engine import make_engine
from reunite.db.migrate import upgrade
from reunite.errors import InvalidInput
from reunite.exchange.service import import_list
from reunite.parties.models import Party
from reunite.parties.service import add_party
from reunite.records.models import Record
from reunite.records.search import count_search, search_key_of, search_records
from reunite.review.models import MatchCandidate
from reunite.review.service import decide
from reunite.sharing.service import release_record

from factories import KOVAL, LYSENKO, REQUEST_HEADER, REQUEST_ROWS, SHEVCHUK, write_csv

PASSWORD = "correct horse battery"
DISCLOSURE_HEADER = [*REQUEST_HEADER, "withheld"]
# The custodial party's records: Lysenko in Russian spelling, a namesake it withholds, and
# an unrelated child.
RU_LYSENKO = [
    "RU-1",
    "Лысенко",
    "Александр",
    "Николаевич",
    "м",
    "12.03.2014",
    "Мариуполь",
    "Лысенко Ольга Петровна",
    "",
    "",
]
RU_WITHHELD = ["RU-2", "Лисенко", "Олександр", "", "м", "2013", "Донецк", "", "", "да"]
RU_OTHER = ["RU-3", "Кравченко", "Мария", "Ивановна", "ж", "2015", "Херсон", "", "", ""]


@dataclass
class Scene:
    """Parties, one principal per role, and the records by external id."""

    requesting: Party
    custodial: Party
    who: dict[str, Principal]
    ids: dict[str, uuid.UUID]


def _scene(session: Session, folder: Path) -> Scene:
    add_party(session, name="Mediator", role="mediator")
    requesting = add_party(session, name="Ukraine", role="requesting")
    custodial = add_party(session, name="Russian Federation", role="custodial")
    who = {}
    for name, role, party in (
        ("caseworker", "caseworker", None),
        ("liaison_ua", "liaison", "Ukraine"),
        ("liaison_ru", "liaison", "Russian Federation"),
        ("family", "family", "Ukraine"),
        ("auditor", "auditor", None),
    ):
        user = create_user(session, username=name, password=PASSWORD, role=role, party_name=party)
        who[name] = principal_of(session, user)
    requests = write_csv(folder, "requests.csv", REQUEST_HEADER, REQUEST_ROWS)
    disclosures = write_csv(
        folder, "disclosures.csv", DISCLOSURE_HEADER, [RU_LYSENKO, RU_WITHHELD, RU_OTHER]
    )
    import_list(session, path=requests, party=requesting, kind="requests")
    import_list(session, path=disclosures, party=custodial, kind="disclosures")
    ids = dict(session.execute(select(Record.external_id, Record.id)).all())
    return Scene(requesting, custodial, who, ids)


def _found(session: Session, principal: Principal, query: str, **filters: object) -> list[str]:
    hits = search_records(session, principal=principal, query=query, **filters)  # type: ignore[arg-type]
    if "limit" not in filters and "offset" not in filters:
        total = count_search(session, principal=principal, query=query, **filters)  # type: ignore[arg-type]
        assert total == len(hits)
    return sorted(hit.record.external_id for hit in hits)


@pytest.mark.parametrize(
    "query",
    [
        "Oleksandr Lysenko",
        "Олександр Лисенко",
        "Александр Лысенко",
        "LYSENKO, Oleksandr",
        "лысенко   александр",
        "Lisenko Aleksandr",
    ],
)
def test_a_name_in_any_script_finds_the_same_child(
    session: Session, tmp_path: Path, query: str
) -> None:
    scene = _scene(session, tmp_path)
    staff = scene.who["caseworker"]
    assert _found(session, staff, query) == ["RU-1", "RU-2", "UA-1"]
    assert _found(session, staff, query, kind="requests") == ["UA-1"]
    assert _found(session, staff, query, party_id=scene.custodial.id) == ["RU-1", "RU-2"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Николаевич", ["RU-1", "UA-1"]),  # the Ukrainian patronymic Миколайович in Russian
        ("Mykolaiovych", ["RU-1", "UA-1"]),
        ("Olha", ["RU-1", "UA-1"]),  # the mother's given name
        ("Lys", ["RU-1", "RU-2", "UA-1"]),  # the start of a name, as it is being typed
        ("Ганна Коваль", ["UA-2"]),
        ("Anna Koval", ["UA-2"]),
        ("Dmytro Shevchuk", ["UA-3"]),
        ("Дмитрий Шевчук", ["UA-3"]),
        ("ua-3", ["UA-3"]),  # a party's own id
        ("Oleksandr Koval", []),  # every word must match
        ("Ли", []),  # too short to stand for the start of a name
    ],
)
def test_other_names_and_forms_find_the_record(
    session: Session, tmp_path: Path, query: str, expected: list[str]
) -> None:
    scene = _scene(session, tmp_path)
    assert _found(session, scene.who["caseworker"], query) == expected


def test_search_never_returns_a_record_the_caller_may_not_see(
    session: Session, tmp_path: Path
) -> None:
    scene = _scene(session, tmp_path)
    staff = scene.who["caseworker"]
    assert _found(session, scene.who["liaison_ua"], "Lysenko") == ["UA-1"]
    assert _found(session, scene.who["liaison_ru"], "Lysenko") == ["RU-1", "RU-2"]
    assert _found(session, scene.who["family"], "Lysenko") == []
    assert _found(session, scene.who["auditor"], "Lysenko") == []
    assert _found(session, scene.who["auditor"], "") == []

    release_record(
        session,
        principal=staff,
        record_id=scene.ids["RU-1"],
        purpose="tracing request UA-1",
        to_party_id=scene.requesting.id,
    )
    family = scene.who["family"]
    request = session.get(Record, scene.ids["UA-1"])
    assert request is not None
    request.filed_by_user_id = family.user_id  # the family filed it, as through the form
    candidate = MatchCandidate(
        request_id=scene.ids["UA-1"],
        disclosed_id=scene.ids["RU-1"],
        probability=0.99,
        engine_decision="match",
        explanation=[],
    )
    session.add(candidate)
    session.flush()
    decide(
        session,
        principal=staff,
        candidate_id=candidate.id,
        decision="confirmed",
        reason="photo and parents agree",
    )
    release_record(
        session,
        principal=staff,
        record_id=scene.ids["RU-1"],
        purpose="the family's own request",
        to_user_id=family.user_id,
    )
    # Released to them now; the withheld namesake stays out of sight whatever happens.
    assert _found(session, scene.who["liaison_ua"], "Лысенко") == ["RU-1", "UA-1"]
    assert _found(session, family, "Лысенко") == ["RU-1", "UA-1"]  # their own request too
    assert _found(session, scene.who["liaison_ua"], "") == ["RU-1", "UA-1", "UA-2", "UA-3"]
    assert _found(session, scene.who["auditor"], "Лысенко") == []


def test_an_empty_query_lists_what_the_caller_may_see_in_pages(
    session: Session, tmp_path: Path
) -> None:
    scene = _scene(session, tmp_path)
    staff = scene.who["caseworker"]
    everything = _found(session, staff, "  ")
    assert everything == ["RU-1", "RU-2", "RU-3", "UA-1", "UA-2", "UA-3"]
    pages = [_found(session, staff, "", limit=4, offset=offset) for offset in (0, 4)]
    assert sorted(pages[0] + pages[1]) == everything and len(pages[0]) == 4
    assert count_search(session, principal=staff, query="", kind="disclosures") == 3


def test_searches_are_audited(session: Session, tmp_path: Path) -> None:
    scene = _scene(session, tmp_path)
    search_records(
        session,
        principal=scene.who["liaison_ua"],
        query="Олександр  Лисенко",
        kind="requests",
        address="198.51.100.4",
    )
    write_pending(session)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "records.search"))
    assert entry is not None
    assert (entry.actor, entry.address) == ("liaison_ua", "198.51.100.4")
    details = json.loads(entry.details)
    # Whom the liaison looked for is not kept in clear (audit/test_search_terms.py).
    assert "query" not in details and details["words"] == 2
    assert "Лисенко" not in entry.details and "Олександр" not in entry.details
    assert details["kind"] == "requests" and details["results"] == 1


@pytest.mark.parametrize(
    ("query", "kind", "message"),
    [
        ("Lysenko", "children", "unknown kind 'children'"),
        ("x" * 301, None, "longer than 300 characters"),
        ("a b c d e f g h i", None, "at most 8 words"),
    ],
)
def test_bad_searches_get_a_clear_message(
    session: Session, tmp_path: Path, query: str, kind: str | None, message: str
) -> None:
    scene = _scene(session, tmp_path)
    with pytest.raises(InvalidInput, match=message):
        search_records(session, principal=scene.who["caseworker"], query=query, kind=kind)


def test_search_key_follows_corrections(session: Session, tmp_path: Path) -> None:
    scene = _scene(session, tmp_path)
    staff = scene.who["caseworker"]
    renamed = [*LYSENKO[:2], "Богдан", *LYSENKO[3:]]
    corrected = write_csv(tmp_path, "corrected.csv", REQUEST_HEADER, [renamed, KOVAL, SHEVCHUK])
    report = import_list(session, path=corrected, party=scene.requesting, kind="requests")
    assert report.corrected == 1
    session.expire_all()
    assert _found(session, staff, "Oleksandr Lysenko", kind="requests") == []
    assert _found(session, staff, "Bohdan Lysenko") == ["UA-1"]
    # Fields the correcting file leaves out keep counting: the mother's name is still there.
    only_names = write_csv(
        tmp_path, "names.csv", ["id", "surname", "given_name"], [["UA-1", "Бойко", "Богдан"]]
    )
    assert import_list(session, path=only_names, party=scene.requesting, kind="requests").corrected
    session.expire_all()
    assert _found(session, staff, "Boiko Bohdan Olha") == ["UA-1"]
    assert _found(session, staff, "Lysenko Bohdan") == ["UA-1"]  # the parents' surname


def test_records_written_through_the_orm_get_their_key(session: Session, tmp_path: Path) -> None:
    scene = _scene(session, tmp_path)
    staff = scene.who["caseworker"]
    batch_id = session.get(Record, scene.ids["UA-1"]).created_batch_id  # type: ignore[union-attr]
    filed = Record(
        party_id=scene.requesting.id,
        kind="requests",
        external_id="FORM-1",
        given_name="Софія",
        surname="Мельник",
        created_batch_id=batch_id,
        updated_batch_id=batch_id,
    )
    session.add(filed)
    session.flush()
    assert _found(session, staff, "Sofiia Melnyk") == ["FORM-1"]
    assert _found(session, staff, "София Мельник") == ["FORM-1"]
    filed.surname = "Ткаченко"
    session.flush()
    assert _found(session, staff, "Мельник") == []
    assert _found(session, staff, "Tkachenko") == ["FORM-1"]


def test_migration_fills_the_key_of_records_stored_before_it(
    database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine, "0001")
        metadata = sa.MetaData()
        parties = sa.Table("parties", metadata, autoload_with=engine)
        batches = sa.Table("batches", metadata, autoload_with=engine)
        records = sa.Table("records", metadata, autoload_with=engine)
        now = utcnow()
        record_id = uuid.uuid4()
        with engine.begin() as connection:
            connection.execute(
                parties.insert().values(id=1, name="Ukraine", role="requesting", created_at=now)
            )
            connection.execute(
                batches.insert().values(
                    id=1,
                    party_id=1,
                    kind="requests",
                    sha256="0" * 64,
                    filename="old.csv",
                    file_format="csv",
                    received_at=now,
                    **dict.fromkeys(
                        ("rows_read", "rows_added", "rows_corrected", "rows_withdrawn"), 1
                    ),
                    rows_unchanged=0,
                    rows_rejected=0,
                )
            )
            values: dict[str, object] = {
                c.name: "" for c in records.columns if isinstance(c.type, sa.String | sa.Text)
            }
            values |= {
                # Reflected, SQLite's UUID column is CHAR(32): the hex form the app stores.
                "id": record_id if engine.dialect.name == "postgresql" else record_id.hex,
                "party_id": 1,
                "kind": "requests",
                "external_id": "UA-1",
                "surname": "Лисенко",
                "given_name": "Олександр",
                "mother_name": "Лисенко Ольга",
                "withheld": False,
                "withdrawn": False,
                "extra": {},
                "version": 1,
                "created_batch_id": 1,
                "updated_batch_id": 1,
                "created_at": now,
                "updated_at": now,
            }
            connection.execute(records.insert().values(values))

        upgrade(engine)

        with Session(engine) as session:
            record = session.get(Record, record_id)
            assert record is not None
            assert record.search_key == search_key_of(
                {
                    "surname": "Лисенко",
                    "given_name": "Олександр",
                    "mother_name": "Лисенко Ольга",
                    "external_id": "UA-1",
                }
            )
            assert " lisenko " in record.search_key and " =олександр " in record.search_key
    finally:
        engine.dispose()
