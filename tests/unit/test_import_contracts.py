"""The project's own import-linter contract finds module cycles, and only those."""

from __future__ import annotations

from grimp import ImportGraph

from import_contracts import module_cycles


def _graph(*imports: tuple[str, str]) -> ImportGraph:
    graph = ImportGraph()
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported)
    return graph


def test_a_cycle_of_modules_is_found_with_every_member() -> None:
    graph = _graph(
        ("app.records.access", "app.records.models"),
        ("app.records.models", "app.records.search"),
        ("app.records.search", "app.records.access"),
        ("app.records.pages", "app.records.access"),
    )
    assert module_cycles(graph, graph.modules) == [
        ["app.records.access", "app.records.models", "app.records.search"]
    ]


def test_packages_that_use_each_other_through_different_modules_are_no_cycle() -> None:
    # A domain may call another's service while that one reads the first one's tables.
    graph = _graph(
        ("app.records.pages", "app.sharing.service"),
        ("app.sharing.service", "app.records.models"),
    )
    assert module_cycles(graph, graph.modules) == []
