"""An import-linter contract of our own: no module imports itself through others.

import-linter's `acyclic_siblings` contract forbids cycles between whole packages; DESIGN.md
lets one domain call another through its service module, so what must never happen is a
cycle of *modules* (records.access → records.models → records.search → records.access): such
a cycle makes import order matter, and a fresh process fails where a warm one works.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain.contract import Contract, ContractCheck


def module_cycles(graph: ImportGraph, modules: Iterable[str]) -> list[list[str]]:
    """Return every group of modules that import one another in a cycle (Tarjan's SCCs)."""
    order: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))

    def visit(module: str) -> None:
        order[module] = lowest[module] = len(order)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in order:
                visit(imported)
                lowest[module] = min(lowest[module], lowest[imported])
            elif imported in on_stack:
                lowest[module] = min(lowest[module], order[imported])
        if lowest[module] == order[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    try:
        for module in sorted(modules):
            if module not in order:
                visit(module)
    finally:
        sys.setrecursionlimit(limit)
    return sorted(cycles)


class AcyclicModulesContract(Contract):
    """No module of the package imports itself through other modules."""

    type_name = "acyclic_modules"

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:  # noqa: ARG002
        cycles = module_cycles(graph, graph.modules)
        return ContractCheck(kept=not cycles, warnings=[], metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error("These modules import one another in a cycle:", bold=True)
            for module in cycle:
                output.print_error(f"    {module}")
            output.new_line()
