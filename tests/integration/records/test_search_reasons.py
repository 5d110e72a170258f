"""Name search says why each record was found, and keeps one child's spellings together."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from reunite.app import create_app
from reunite.auth.principal import Principal
from reunite.auth.service import create_token, create_user, principal_of
from reunite.db.engine import transaction
from reunite.db.migrate import upgrade
from reunite.exchange.service import import_list
from reunite.parties.models import Party
from reunite.parties.service import add_party
from reunite.records.search import FoundBy, SearchHit, count_search, search_records
from reunite.wiring import default_engine, default_sessions

from browsing import Site, make_site, text_of
from factories import LYSENKO, REQUEST_HEADER, write_csv

PASSWORD = "correct horse battery"
# A child whose father carries the surname searched for, while the child does not.
BONDAR = ["UA-4", "Бондар", "Ірина", "Леонідівна", "ж", "2013-05-02", "Ізюм", "",
          "Коваль Леонід Артемович"]  # fmt: skip
KOVAL = ["UA-2", "Коваль", "Ганна", "Андріївна", "ж", "2016-07", "Бахмут", "", ""]
# One boy in three spellings, and a namesake whose surname sorts between them by letters.
SPELLINGS = [
    ["S-1", "Лисенко", "Олександр", "", "ч", "2014", "", "", ""],
    ["S-2", "Lysenko", "Oleksandr", "", "M", "2014", "", "", ""],
    ["S-3", "Лысенко", "Александр", "", "м", "2014", "", "", ""],
    ["S-4", "Литвин", "Олександр", "", "ч", "2012", "", "", ""],
    ["S-5", "Абрамов", "Олександр", "", "ч", "2011", "", "", ""],
    ["S-6", "Шевчук", "Олександр", "", "ч", "2010", "", "", ""],
]


def _staff(session: Session) -> Principal:
    add_party(session, name="Mediator", role="mediator")
    user = create_user(session, username="caseworker", password=PASSWORD, role="caseworker")
    return principal_of(session, user)


def _import(session: Session, folder: Path, party: Party, rows: list[list[str]]) -> None:
    path = write_csv(folder, f"list-{len(rows)}-{rows[0][0]}.csv", REQUEST_HEADER, rows)
    import_list(session, path=path, party=party, kind="requests", queue_matching=False)


def _hits(session: Session, staff: Principal, query: str, **filters: int) -> list[SearchHit]:
    hits = search_records(session, principal=staff, query=query, **filters)
    if not filters:
        assert count_search(session, principal=staff, query=query) == len(hits)
    return hits


def _reasons(hits: list[SearchHit]) -> list[tuple[str, set[str]]]:
    return [(hit.record.external_id, {str(reason) for reason in hit.found_by}) for hit in hits]


def test_each_result_says_whether_the_child_a_parent_or_a_reference_was_found(
    session: Session, tmp_path: Path
) -> None:
    staff = _staff(session)
    ukraine = add_party(session, name="Ukraine", role="requesting")
    _import(session, tmp_path, ukraine, [LYSENKO, KOVAL, BONDAR])

    # Бондар sorts before Коваль, yet the child found by her own name comes first.
    hits = _hits(session, staff, "Коваль")
    assert _reasons(hits) == [("UA-2", {"child_name"}), ("UA-4", {"parent_name"})]
    assert hits[0].parent_names == ()
    assert hits[1].parent_names == ("Коваль Леонід Артемович",)
    assert _reasons(_hits(session, staff, "Koval Artemovych")) == [("UA-4", {"parent_name"})]

    # Лисенко is the boy's surname and his parents': his own name is reason enough...
    assert _reasons(_hits(session, staff, "Lysenko")) == [("UA-1", {"child_name"})]
    # ...but his mother's given name was needed to find him by «Olha Lysenko».
    mother = _hits(session, staff, "Olha Lysenko")
    assert _reasons(mother) == [("UA-1", {"child_name", "parent_name"})]
    assert mother[0].parent_names == ("Лисенко Ольга Петрівна",)
    # A patronymic is the child's own name, even though it names the father.
    assert _reasons(_hits(session, staff, "Mykolaiovych")) == [("UA-1", {"child_name"})]
    assert _reasons(_hits(session, staff, "ua-4")) == [("UA-4", {"reference"})]
    assert FoundBy("parent_name") is FoundBy.PARENT_NAME


def test_child_hits_come_before_parent_only_hits_on_every_page(
    session: Session, tmp_path: Path
) -> None:
    staff = _staff(session)
    ukraine = add_party(session, name="Ukraine", role="requesting")
    rows = [
        [f"P-{n}", "Бондар", "Ірина", "", "ж", "2013", "", "", f"Коваль {father}"]
        for n, father in enumerate(("Петро", "Іван", "Андрій"))
    ]
    rows += [[f"C-{n}", "Коваль", "Марія", "", "ж", "2014", "", "", ""] for n in range(3)]
    _import(session, tmp_path, ukraine, rows)
    pages = [_hits(session, staff, "Koval", limit=2, offset=offset) for offset in (0, 2, 4)]
    order = [hit.record.external_id for page in pages for hit in page]
    assert [external_id[0] for external_id in order] == ["C", "C", "C", "P", "P", "P"]
    # One page holding every match, and pages cut elsewhere, give the same order.
    assert [hit.record.external_id for hit in _hits(session, staff, "Koval")] == order
    for limit, offset in ((4, 0), (4, 1), (3, 3), (10, 2)):
        page = _hits(session, staff, "Koval", limit=limit, offset=offset)
        assert [hit.record.external_id for hit in page] == order[offset : offset + limit]
    # Only children by that name: a page full of them.
    maria = [hit.record.external_id for hit in _hits(session, staff, "Марія", limit=2)]
    assert maria == order[:2]


@pytest.mark.parametrize("query", ["Олександр", "Oleksandr"])
def test_one_childs_spellings_sort_together(session: Session, tmp_path: Path, query: str) -> None:
    staff = _staff(session)
    ukraine = add_party(session, name="Ukraine", role="requesting")
    _import(session, tmp_path, ukraine, SPELLINGS)
    order = [hit.record.external_id for hit in _hits(session, staff, query)]
    assert order[0] == "S-5" and order[-1] == "S-6"
    # The three spellings of Lysenko Oleksandr are neighbours, Литвин is not among them.
    assert sorted(order[1:4]) == ["S-1", "S-2", "S-3"] and order[4] == "S-4"


# --- pages and API -------------------------------------------------------------------------


@pytest.fixture
def site(configured: str, tmp_path: Path) -> Site:
    built = make_site(tmp_path)
    with transaction(default_sessions()) as session:
        ukraine = session.get(Party, built.world.requesting.id)
        assert ukraine is not None
        _import(session, tmp_path, ukraine, [BONDAR, KOVAL])
    return built


def test_the_records_page_labels_each_result_with_why_it_was_found(site: Site) -> None:
    browser = site.browser("caseworker")
    page = browser.get("/records", params={"q": "Коваль"})
    assert page.status_code == 200
    text = text_of(page.text)
    assert text.index("Коваль Ганна") < text.index("Бондар Ірина")
    assert "found by a parent's name: Коваль Леонід Артемович" in text
    assert "found by the child's name" in text
    # The names are data, marked so that a browser's translator leaves them alone.
    assert '<span translate="no">Коваль Леонід Артемович</span>' in page.text
    browser.client.cookies.set("reunite_lang", "uk")
    ukrainian = text_of(browser.get("/records", params={"q": "Коваль"}).text)
    assert "знайдено за ім'ям одного з батьків: Коваль Леонід Артемович" in ukrainian
    # Without a query nothing was searched for: no labels.
    assert "found by" not in browser.get("/records").text


def test_the_api_gives_found_by_with_each_item(site: Site) -> None:
    with transaction(default_sessions()) as session:
        token, _ = create_token(session, username="caseworker")
    client = TestClient(create_app())
    headers = {"Authorization": f"Bearer {token}"}
    params = {"q": "Коваль", "kind": "requests"}
    answer = client.get("/api/v1/records", params=params, headers=headers)
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert [(i["external_id"], i["found_by"]) for i in items] == [
        ("UA-2", ["child_name"]),
        ("UA-4", ["parent_name"]),
    ]
    listed = client.get("/api/v1/records", headers=headers).json()["items"]
    assert all(item["found_by"] == [] for item in listed)
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    found_by = schema["RecordFound"]["properties"]["found_by"]
    assert "parent" in found_by["description"]


def test_the_plain_list_sorts_spellings_together(configured: str, tmp_path: Path) -> None:
    upgrade(default_engine())
    with transaction(default_sessions()) as session:
        staff = _staff(session)
        ukraine = add_party(session, name="Ukraine", role="requesting")
        _import(session, tmp_path, ukraine, SPELLINGS)
        token, _ = create_token(session, username=staff.username)
    client = TestClient(create_app())
    answer = client.get("/api/v1/records", headers={"Authorization": f"Bearer {token}"})
    order = [item["external_id"] for item in answer.json()["items"]]
    assert order[0] == "S-5" and order[-1] == "S-6"
    assert sorted(order[1:4]) == ["S-1", "S-2", "S-3"] and order[4] == "S-4"
