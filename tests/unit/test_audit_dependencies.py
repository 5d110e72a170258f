"""scripts/audit_dependencies.py: what pip-audit's answers make of the test command's step."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies.py"
LOCKS = [SCRIPT.parents[1] / "requirements.lock", SCRIPT.parents[1] / "requirements-dev.lock"]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _answering(
    monkeypatch: pytest.MonkeyPatch,
    module: ModuleType,
    report: dict[str, Any] | None,
    error: str = "",
) -> list[list[str]]:
    calls: list[list[str]] = []

    def fake(lock: Path, service: str, ignored: list[str]) -> subprocess.CompletedProcess[str]:
        calls.append([str(lock), service, *ignored])
        stdout = json.dumps(report) if report is not None else ""
        return subprocess.CompletedProcess([], 1 if error else 0, stdout, error)

    monkeypatch.setattr(module, "_audit", fake)
    return calls


CLEAN = {"name": "jinja2", "version": "3.1.6", "vulns": []}
VULNERABLE = {
    "name": "jinja2",
    "version": "3.1.2",
    "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"]}],
}
SKIPPED = {
    "name": "alembic",
    "skip_reason": "Dependency not found on PyPI and could not be audited",
}


def test_a_known_vulnerability_fails_the_step_and_names_the_fix(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = _script()
    _answering(monkeypatch, module, {"dependencies": [CLEAN, VULNERABLE]})
    assert module.main(["audit", "requirements-dev.lock"]) == 1
    said = capsys.readouterr().out
    assert "jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in: 3.1.3)" in said


def test_a_clean_lock_passes_and_says_what_was_not_checked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = _script()
    _answering(monkeypatch, module, {"dependencies": [CLEAN, SKIPPED]})
    assert module.main(["audit"]) == 0
    assert (
        "no known vulnerability in 1 locked packages; 1 not known to pypi"
        in capsys.readouterr().out
    )


@pytest.mark.parametrize(
    "report, error",
    [
        (None, "requests.exceptions.ConnectionError: Failed to resolve 'api.osv.dev'"),
        ({"dependencies": [SKIPPED, SKIPPED]}, ""),
    ],
)
def test_an_unreachable_service_is_said_loudly_and_fails_only_when_strict(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    report: dict[str, Any] | None,
    error: str,
) -> None:
    module = _script()
    _answering(monkeypatch, module, report, error)
    monkeypatch.delenv("REUNITE_AUDIT_STRICT", raising=False)
    assert module.main(["audit"]) == 0
    assert "NOT checked for known vulnerabilities" in capsys.readouterr().out
    monkeypatch.setenv("REUNITE_AUDIT_STRICT", "1")
    assert module.main(["audit"]) == 3


def test_ignored_vulnerabilities_and_the_service_are_passed_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = _script()
    calls = _answering(monkeypatch, module, {"dependencies": [CLEAN]})
    monkeypatch.setenv("REUNITE_AUDIT_SERVICE", "osv")
    monkeypatch.setenv("REUNITE_AUDIT_IGNORE", "PYSEC-1 GHSA-2")
    assert module.main(["audit", "x.lock"]) == 0
    assert calls == [["x.lock", "osv", "PYSEC-1", "GHSA-2"]]


@pytest.mark.parametrize("lock", LOCKS, ids=lambda path: path.name)
def test_the_locks_pin_every_package_with_hashes(lock: Path) -> None:
    requirements = [
        line
        for line in lock.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith((" ", "#"))
    ]
    assert requirements, lock
    for line in requirements:
        assert "==" in line and line.endswith("\\"), line  # a pin, its hashes on the next lines
    assert "--hash=sha256:" in lock.read_text(encoding="utf-8")
    # No machine's own index or wheel folder is written into the lock.
    options = [line for line in lock.read_text(encoding="utf-8").splitlines() if line[:2] == "--"]
    assert options == [], options


def test_the_dev_lock_pins_the_runtime_packages_as_the_runtime_lock_does() -> None:
    def pins(path: Path) -> dict[str, str]:
        found = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if "==" in line and not line.startswith((" ", "#")):
                name, _, version = line.split(" ")[0].partition("==")
                found[name.lower()] = version
        return found

    runtime, dev = pins(LOCKS[0]), pins(LOCKS[1])
    assert {name: dev.get(name) for name in runtime} == runtime
    assert {"schemathesis", "pip-audit", "hypothesis", "pytest"} <= set(dev)
    assert sys.version_info >= (3, 11)
