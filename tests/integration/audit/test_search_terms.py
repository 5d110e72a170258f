"""Names typed into searches are not kept in the audit log in clear: a keyed hash, or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from reunite.app import create_app
from reunite.audit.models import AuditEntry
from reunite.audit.terms import search_terms, term_hash
from reunite.auth.service import create_token, start_session
from reunite.cli import app as cli
from reunite.db.engine import transaction
from reunite.db.migrate import upgrade
from reunite.settings import get_settings
from reunite.web.deps import SESSION_COOKIE
from reunite.wiring import default_engine, default_sessions

from world import ROLES_OF_WORLD, World, build_world

KEY = "a-long-random-secret-kept-out-of-the-database"
TYPED = ("Лисенко", "Олександр", "Маріуполь", "UA-1")


def _keyed(monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    monkeypatch.setenv("REUNITE_AUDIT_SEARCH_KEY", key)
    get_settings.cache_clear()


@pytest.fixture
def site(configured: str, tmp_path: Path) -> tuple[TestClient, World, dict[str, str]]:
    upgrade(default_engine())
    with transaction(default_sessions()) as session:
        world = build_world(session, tmp_path)
        tokens = {name: create_token(session, username=name)[0] for name in ROLES_OF_WORLD}
    return TestClient(create_app()), world, tokens


def _entries(action: str) -> list[dict[str, object]]:
    with transaction(default_sessions()) as session:
        found = session.scalars(select(AuditEntry).where(AuditEntry.action == action))
        return [json.loads(entry.details) for entry in found]


def _log_since(first: int) -> str:
    """Every entry written from `first` on, whole, as one text."""
    with transaction(default_sessions()) as session:
        return "\n".join(
            f"{entry.actor} {entry.action} {entry.subject_type} {entry.subject_id} {entry.details}"
            for entry in session.scalars(select(AuditEntry).where(AuditEntry.id >= first))
        )


def _next_entry() -> int:
    with transaction(default_sessions()) as session:
        return (session.scalar(select(func.max(AuditEntry.id))) or 0) + 1


def _search_everywhere(site: tuple[TestClient, World, dict[str, str]]) -> None:
    client, world, tokens = site
    bearer = {"Authorization": f"Bearer {tokens['caseworker']}"}
    found = client.get("/api/v1/records", params={"q": "ЛИСЕНКО  олександр"}, headers=bearer)
    assert found.status_code == 200 and found.json()["total"] == 2  # the search still works
    queue = client.get(
        "/api/v1/candidates", params={"region": "Маріуполь", "reference": "UA-1"}, headers=bearer
    )
    assert queue.status_code == 200
    with transaction(default_sessions()) as session:
        secret, _ = start_session(session, user=world.users["caseworker"])
    client.cookies.set(SESSION_COOKIE, secret)
    assert client.get("/records", params={"q": "Лисенко"}).status_code == 200
    assert client.get("/review", params={"region": "Маріуполь"}).status_code == 200


def test_searches_keep_keyed_hashes_of_the_words_never_the_words(
    site: tuple[TestClient, World, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _keyed(monkeypatch, KEY)
    first = _next_entry()
    _search_everywhere(site)
    log = _log_since(first)
    assert log.count("records.search") == 2 and log.count("records.list") == 2
    for word in TYPED:
        assert word.casefold() not in log.casefold(), word
    api_search, page_search = _entries("records.search")
    # The same name, however typed (case, spaces), gives the same hash.
    assert api_search["terms"] == [term_hash("Лисенко", key=KEY), term_hash("Олександр", key=KEY)]
    assert api_search["words"] == 2 and "query" not in api_search
    assert page_search["terms"] == [term_hash("лисенко", key=KEY)]
    queues = [entry for entry in _entries("records.list") if "region" in entry]
    assert len(queues) == 2
    for entry in queues:
        assert entry["region"] == {"words": 1, "terms": [term_hash("Маріуполь", key=KEY)]}
    assert queues[0]["reference"] == {"words": 1, "terms": [term_hash("ua-1", key=KEY)]}
    # Without the key the hashes tell nothing: another key gives other hashes.
    assert term_hash("Лисенко", key="another key") != term_hash("Лисенко", key=KEY)


def test_without_a_key_only_the_number_of_words_is_kept(
    site: tuple[TestClient, World, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _keyed(monkeypatch, "")
    first = _next_entry()
    _search_everywhere(site)
    log = _log_since(first)
    assert log.count("records.search") == 2 and log.count("records.list") == 2
    for word in TYPED:
        assert word.casefold() not in log.casefold(), word
    assert [entry["words"] for entry in _entries("records.search")] == [2, 1]
    assert all("terms" not in entry for entry in _entries("records.search"))


def test_an_investigator_holding_the_key_tests_a_name_and_is_audited(
    site: tuple[TestClient, World, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    _keyed(monkeypatch, "")
    refused = runner.invoke(cli, ["audit", "search-term", "Лисенко"])
    assert refused.exit_code != 0 and "REUNITE_AUDIT_SEARCH_KEY" in refused.output
    _keyed(monkeypatch, KEY)
    _search_everywhere(site)
    tested = runner.invoke(cli, ["audit", "search-term", "лисенко", "Петренко"])
    assert tested.exit_code == 0, tested.output
    hashes = dict(line.split("\t")[::-1] for line in tested.output.splitlines())
    searched = _entries("records.search")[0]["terms"]
    assert isinstance(searched, list)
    assert hashes["лисенко"] in searched and hashes["Петренко"] not in searched
    (testing,) = _entries("audit.search_term")
    assert testing == {"words": 2}  # who tested how many names, not which


def test_search_terms_keep_the_count_and_hash_each_cleaned_word() -> None:
    assert search_terms("", key=KEY) == {"words": 0}
    assert search_terms("  Лисенко ", key="") == {"words": 1}
    # Look-alike Latin letters typed into a Cyrillic name hash as the name itself.
    assert search_terms("Лиceнко", key=KEY) == search_terms("лисенко", key=KEY)
    assert len(term_hash("Лисенко", key=KEY)) == 16
