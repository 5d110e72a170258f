"""Likely duplicates: one child's requests from one party are flagged at import and linked."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from reunite.audit.models import AuditEntry
from reunite.audit.service import write_pending
from reunite.auth.principal import Principal
from reunite.auth.service import create_user, principal_of
from reunite.errors import InvalidInput, NotFound
from reunite.exchange.models import Batch
from reunite.exchange.schemas import ImportReport
from reunite.exchange.service import import_list
from reunite.parties.models import Party
from reunite.parties.service import add_party
from reunite.records.duplicates import (
    LinkStatus,
    _flagging,
    decide_duplicate,
    duplicates_of,
    likely_same_child,
    linked_requests,
    list_duplicates,
)
from reunite.records.models import Record, RecordLink

from factories import REQUEST_HEADER, write_csv

PASSWORD = "correct horse battery"
PARENTS = ["Лисенко Ольга Петрівна", "Лисенко Микола Іванович"]
STORED = [
    ["D-1", "Лисенко", "Олександр", "Миколайович", "ч", "12.03.2014", "Маріуполь", *PARENTS],
    # His twin sister and twin brother: same parents and birth date, another child each.
    ["D-2", "Лисенко", "Марія", "Миколаївна", "ж", "12.03.2014", "Маріуполь", *PARENTS],
    ["D-3", "Лисенко", "Андрій", "Миколайович", "ч", "12.03.2014", "Маріуполь", *PARENTS],
    # A namesake born the same day to other parents.
    ["D-4", "Лисенко", "Олександр", "Петрович", "ч", "12.03.2014", "Київ",
     "Лисенко Тетяна", "Лисенко Петро"],
    # Only the month of birth is known: too little to call anyone a duplicate.
    ["D-5", "Лисенко", "Олександр", "", "ч", "03.2014", "", *PARENTS],
]  # fmt: skip
NEW = [
    # D-1 again, in Latin letters, under another reference.
    ["N-1", "Lysenko", "Oleksandr", "", "M", "2014-03-12", "Mariupol", "Olha Lysenko",
     "Mykola Lysenko"],
    # D-1 once more, by his diminutive, with his mother only.
    ["N-2", "Лисенко", "Саша", "", "", "2014-03-12", "", "Ольга", ""],
    # A girl sent twice in this very list.
    ["N-3", "Коваль", "Ганна", "Андріївна", "ж", "2016-07-01", "Бахмут", "Коваль Оксана", ""],
    ["N-4", "Koval", "Hanna", "", "F", "2016-07-01", "", "Oksana Koval", ""],
    # A boy with no parents named: nothing to say he is anyone else.
    ["N-5", "Лисенко", "Олександр", "", "ч", "2014-03-12", "", "", ""],
]  # fmt: skip


@dataclass
class Scene:
    ukraine: Party
    russia: Party
    staff: Principal
    liaison: Principal
    ids: dict[str, uuid.UUID]


def _import(
    session: Session, folder: Path, party: Party, rows: list[list[str]], kind: str = "requests"
) -> ImportReport:
    path = write_csv(folder, f"{kind}-{rows[0][0]}-{len(rows)}.csv", REQUEST_HEADER, rows)
    return import_list(session, path=path, party=party, kind=kind, queue_matching=False)


def _ids(session: Session) -> dict[str, uuid.UUID]:
    return dict(session.execute(select(Record.external_id, Record.id)).all())


def _scene(session: Session, folder: Path) -> Scene:
    add_party(session, name="Mediator", role="mediator")
    ukraine = add_party(session, name="Ukraine", role="requesting")
    russia = add_party(session, name="Russian Federation", role="custodial")
    staff = create_user(session, username="caseworker", password=PASSWORD, role="caseworker")
    liaison = create_user(
        session, username="liaison", password=PASSWORD, role="liaison", party_name="Ukraine"
    )
    assert _import(session, folder, ukraine, STORED).duplicates == 0
    return Scene(ukraine, russia, principal_of(session, staff), principal_of(session, liaison), {})


def _pairs(session: Session, ids: dict[str, uuid.UUID]) -> set[frozenset[str]]:
    names = {record_id: external for external, record_id in ids.items()}
    return {
        frozenset({names[link.record_id], names[link.other_id]})
        for link in session.scalars(select(RecordLink))
    }


def test_a_list_is_checked_against_itself_and_the_partys_stored_requests(
    session: Session, tmp_path: Path
) -> None:
    scene = _scene(session, tmp_path)
    # Twins, a namesake with other parents and a partial date: none is flagged.
    assert session.scalar(select(RecordLink.id)) is None
    report = _import(session, tmp_path, scene.ukraine, NEW)
    assert report.duplicates == 4
    assert "4 likely duplicate requests flagged" in report.summary()
    ids = _ids(session)
    assert _pairs(session, ids) == {
        frozenset({"D-1", "N-1"}),
        frozenset({"D-1", "N-2"}),
        frozenset({"N-1", "N-2"}),
        frozenset({"N-3", "N-4"}),
    }
    links = list(session.scalars(select(RecordLink)))
    assert {link.status for link in links} == {"suspected"}
    assert {link.found_by_batch for link in links} == {report.batch_id}
    evidence = {frozenset({link.record_id, link.other_id}): link.evidence for link in links}
    assert evidence[frozenset({ids["D-1"], ids["N-1"]})] == [
        "birth_date",
        "sex",
        "mother",
        "father",
        "given_name",
        "surname",
    ]
    assert evidence[frozenset({ids["D-1"], ids["N-2"]})] == [
        "birth_date",
        "mother",
        "given_name",
        "surname",
    ]


def test_corrections_and_repeats_flag_nothing_twice_and_a_dismissal_stays(
    session: Session, tmp_path: Path
) -> None:
    scene = _scene(session, tmp_path)
    _import(session, tmp_path, scene.ukraine, NEW[:1])
    ids = _ids(session)
    dismissed = decide_duplicate(
        session,
        principal=scene.staff,
        record_id=ids["N-1"],
        other_id=ids["D-1"],
        decision="dismiss",
        reason="the family confirmed these are cousins",
    )
    assert dismissed.status == LinkStatus.DISMISSED
    corrected = [["N-1", "Lysenko", "Oleksandr", "", "M", "2014-03-12", "Маріуполь", "Olha",
                  "Mykola"]]  # fmt: skip
    report = _import(session, tmp_path, scene.ukraine, corrected)
    assert report.corrected == 1 and report.duplicates == 0
    assert "flagged" not in report.summary()
    session.expire_all()
    assert [link.status for link in session.scalars(select(RecordLink))] == ["dismissed"]


def test_another_partys_records_are_never_its_duplicates_but_disclosures_have_their_own(
    session: Session, tmp_path: Path
) -> None:
    scene = _scene(session, tmp_path)
    disclosed = [row.copy() for row in STORED[:1]] + [
        ["R-1", "Лысенко", "Александр", "Николаевич", "м", "12.03.2014", "Мариуполь",
         "Лысенко Ольга", "Лысенко Николай"],
    ]  # fmt: skip
    disclosed[0][0] = "R-0"
    report = _import(session, tmp_path, scene.russia, disclosed, kind="disclosures")
    assert report.duplicates == 1
    assert "1 likely duplicate disclosed records flagged" in report.summary()
    assert _pairs(session, _ids(session)) == {frozenset({"R-0", "R-1"})}


def test_the_rule_needs_the_date_the_parents_and_the_childs_name() -> None:
    boy = {
        "birth_date": "2014-03-12",
        "sex": "M",
        "given_name": "Олександр",
        "surname": "Лисенко",
        "patronymic": "Миколайович",
        "mother_name": "Лисенко Ольга",
        "father_name": "",
    }
    assert likely_same_child(boy, boy | {"given_name": "Alexandr", "surname": "Lisenko"})
    # The patronymic names the father: Николаевич is Миколайович's father, Микола.
    assert likely_same_child(boy | {"mother_name": ""}, boy | {"patronymic": "Николаевич"})
    assert likely_same_child(boy, boy | {"given_name": ""})  # the surname then decides
    for differs in (
        {"birth_date": "2014-03-13"},
        {"birth_date": "2014-03"},
        {"sex": "F"},
        {"given_name": "Андрій"},  # a twin brother
        {"given_name": "", "surname": "Коваль"},
        {"mother_name": "Лисенко Тетяна"},
        {"patronymic": "Петрович"},
        {"mother_name": "", "patronymic": ""},  # no parent known on both sides
    ):
        assert likely_same_child(boy, boy | differs) is None, differs


def test_a_caseworker_links_dismisses_and_unlinks_with_a_reason_all_audited(
    session: Session, tmp_path: Path
) -> None:
    scene = _scene(session, tmp_path)
    _import(session, tmp_path, scene.ukraine, NEW)
    ids = _ids(session)

    def decide(first: str, second: str, decision: str, reason: str = "same photo") -> None:
        decide_duplicate(
            session,
            principal=scene.staff,
            record_id=ids[first],
            other_id=ids[second],
            decision=decision,
            reason=reason,
            address="198.51.100.7",
        )

    with pytest.raises(InvalidInput, match="needs a reason"):
        decide("D-1", "N-1", "link", reason="  ")
    with pytest.raises(InvalidInput, match="link, dismiss or unlink"):
        decide("D-1", "N-1", "merge")
    with pytest.raises(NotFound):
        decide("D-1", "D-2", "link")  # twins were never suspected
    with pytest.raises(NotFound):
        decide_duplicate(
            session,
            principal=scene.liaison,
            record_id=ids["D-1"],
            other_id=ids["N-1"],
            decision="link",
            reason="ours",
        )
    with pytest.raises(InvalidInput, match="not linked"):
        decide("D-1", "N-1", "unlink")

    assert linked_requests(session, record_id=ids["D-1"]) == [ids["D-1"]]
    decide("D-1", "N-1", "link")
    decide("N-2", "N-1", "link")
    group = sorted([ids["D-1"], ids["N-1"], ids["N-2"]])
    for member in ("D-1", "N-1", "N-2"):
        assert linked_requests(session, record_id=ids[member]) == group
    link = session.scalar(
        select(RecordLink).where(RecordLink.status == "linked").order_by(RecordLink.id)
    )
    assert link is not None
    assert link.decided_by == scene.staff.user_id and link.decided_at is not None
    assert link.reason == "same photo"

    decide("N-1", "D-1", "unlink", reason="linked by mistake: another boy")
    assert linked_requests(session, record_id=ids["D-1"]) == [ids["D-1"]]
    assert linked_requests(session, record_id=ids["N-2"]) == sorted([ids["N-1"], ids["N-2"]])
    decide("N-3", "N-4", "dismiss", reason="different mothers on the forms")

    write_pending(session)
    entries = list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("duplicate.%")).order_by(AuditEntry.id)
        )
    )
    assert [e.action for e in entries] == [
        "duplicate.link",
        "duplicate.link",
        "duplicate.unlink",
        "duplicate.dismiss",
    ]
    assert {e.actor for e in entries} == {"caseworker"}
    unlinked = json.loads(entries[2].details)
    assert unlinked["reason"] == "linked by mistake: another boy"
    assert unlinked["previous_status"] == "linked"
    assert {unlinked["record_id"], unlinked["other_id"]} == {str(ids["D-1"]), str(ids["N-1"])}


def test_the_record_view_and_the_staff_list_obey_need_to_know(
    session: Session, tmp_path: Path
) -> None:
    scene = _scene(session, tmp_path)
    _import(session, tmp_path, scene.ukraine, NEW)
    ids = _ids(session)
    views = duplicates_of(session, principal=scene.liaison, record_id=ids["D-1"])
    assert sorted(view.other.external_id for view in views) == ["N-1", "N-2"]
    assert {view.link.status for view in views} == {"suspected"}
    other_liaison = principal_of(
        session,
        create_user(
            session,
            username="liaison_ru",
            password=PASSWORD,
            role="liaison",
            party_name="Russian Federation",
        ),
    )
    assert duplicates_of(session, principal=other_liaison, record_id=ids["D-1"]) == []

    pairs = list_duplicates(session, principal=scene.staff)
    assert len(pairs) == 4
    assert list_duplicates(session, principal=scene.staff, party_id=scene.russia.id) == []
    assert len(list_duplicates(session, principal=scene.staff, status="linked")) == 0
    with pytest.raises(NotFound):
        list_duplicates(session, principal=scene.liaison)


def test_the_blocking_keys_are_looked_up_through_their_indexes(
    session: Session, tmp_path: Path
) -> None:
    scene = _scene(session, tmp_path)
    _import(session, tmp_path, scene.ukraine, NEW)
    batch = session.scalars(select(Batch).order_by(Batch.id.desc())).first()
    assert batch is not None
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("SET LOCAL enable_seqscan = off"))
    explain = "EXPLAIN" if postgres else "EXPLAIN QUERY PLAN"
    for column in (Record.dup_given_key, Record.dup_surname_key):
        # The lookup flagging runs: which keys of the batch another record shares.
        statement = _flagging.shared_keys_statement(batch, column)
        compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " ".join(str(row[-1]) for row in session.execute(text(f"{explain} {compiled}")))
        assert f"ix_records_{column.key}" in plan, plan


def test_a_key_shared_by_too_many_records_flags_nothing(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scene = _scene(session, tmp_path)
    # D-1, three copies and the namesake D-4 share the date and given name (five records);
    # with the twins, seven share the date and surname.
    monkeypatch.setattr(_flagging, "MAX_BUCKET", 4)
    copies = [[f"C-{n}", *STORED[0][1:]] for n in range(3)]
    assert _import(session, tmp_path, scene.ukraine, copies).duplicates == 0
    monkeypatch.setattr(_flagging, "MAX_BUCKET", 7)
    again = [[f"C-{n}", *STORED[0][1:6], "Маріуполь, Донецька обл.", *PARENTS] for n in range(3)]
    assert _import(session, tmp_path, scene.ukraine, again).duplicates == 6


def test_one_list_flags_at_most_max_pairs(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A list whose every row looks like many others (generated, or built to fill memory).
    scene = _scene(session, tmp_path)
    monkeypatch.setattr(_flagging, "MAX_PAIRS", 2)
    again = [[f"C-{n}", *STORED[0][1:6], "Маріуполь, Донецька обл.", *PARENTS] for n in range(3)]
    assert _import(session, tmp_path, scene.ukraine, again).duplicates == 2
