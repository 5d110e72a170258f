"""Check the locked dependencies for known vulnerabilities with pip-audit (run by scripts/test).

pip-audit reads the lock file (pinned versions with their hashes, nothing installed) and asks
a vulnerability service about each package: PyPI's (default) or OSV's
(`REUNITE_AUDIT_SERVICE=osv`). Exit status:

- 0 when no locked package has a known vulnerability (or one that is ignored, below);
- 1 when one has: the packages, their vulnerabilities and the versions that fix them;
- 0 with a loud notice when the service cannot be reached or answers for no package (a
  machine without internet access): nothing was checked, and the notice says so.
  `REUNITE_AUDIT_STRICT=1` makes that a failure (exit 3), for a release machine.

A vulnerability judged not to apply can be ignored by id in `REUNITE_AUDIT_IGNORE`
(space-separated), with the reason written in SECURITY.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _audit(lock: Path, service: str, ignored: list[str]) -> subprocess.CompletedProcess[str]:
    command = [
        str(ROOT / ".venv" / "bin" / "pip-audit"),
        "--requirement", str(lock),
        "--require-hashes",
        "--disable-pip",  # the lock pins everything: nothing to resolve or install
        "--vulnerability-service", service,
        "--format", "json",
        "--progress-spinner", "off",
        *[option for vulnerability in ignored for option in ("--ignore-vuln", vulnerability)],
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def _unreachable(reason: str) -> int:
    _say(f"!! pip-audit: the vulnerability service could not be reached ({reason}).")
    _say("!! The locked dependencies were NOT checked for known vulnerabilities on this run.")
    if os.environ.get("REUNITE_AUDIT_STRICT") == "1":
        _say("!! REUNITE_AUDIT_STRICT=1: that is a failure.")
        return 3
    return 0


def main(argv: list[str]) -> int:
    lock = Path(argv[1]) if len(argv) > 1 else ROOT / "requirements-dev.lock"
    service = os.environ.get("REUNITE_AUDIT_SERVICE", "pypi")
    ignored = os.environ.get("REUNITE_AUDIT_IGNORE", "").split()
    try:
        finished = _audit(lock, service, ignored)
    except subprocess.TimeoutExpired:
        return _unreachable("no answer within 10 minutes")
    try:
        report = json.loads(finished.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    packages = report.get("dependencies", [])
    if not packages:
        last = (finished.stderr.strip().splitlines() or ["no answer"])[-1]
        return _unreachable(last[:300])
    audited = [package for package in packages if "skip_reason" not in package]
    if not audited:
        reason = packages[0].get("skip_reason", "every package skipped")
        return _unreachable(f"{service} answered for none of {len(packages)} packages: {reason}")
    vulnerable = [package for package in audited if package.get("vulns")]
    for package in vulnerable:
        for vulnerability in package["vulns"]:
            fixed = ", ".join(vulnerability.get("fix_versions", [])) or "no fixed version yet"
            _say(
                f"!! {package['name']} {package['version']}: {vulnerability['id']}"
                f" (fixed in: {fixed})"
            )
    skipped = len(packages) - len(audited)
    note = f"; {skipped} not known to {service} and not checked" if skipped else ""
    if vulnerable:
        _say(f"!! pip-audit: {len(vulnerable)} locked packages have known vulnerabilities{note}.")
        _say("!! Update them in the lock (README: Dependencies) or ignore one with its reason.")
        return 1
    _say(f"pip-audit: no known vulnerability in {len(audited)} locked packages{note}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
