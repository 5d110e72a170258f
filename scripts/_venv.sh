# Shared by scripts/start and scripts/test: create .venv and install Reunite into it.
ensure_venv() {
  local extras="$1"
  local python="${PYTHON:-python3}"
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Reunite needs Python 3.11 or newer; '$python' is $("$python" --version 2>&1)." >&2
    exit 1
  fi
  if [ ! -x .venv/bin/python ]; then
    echo "== creating the virtual environment in .venv"
    "$python" -m venv .venv
  fi
  # The pinned versions, checked against their hashes (README: "Dependencies"): the plain
  # start needs requirements.lock, the tests requirements-dev.lock (both extras).
  local lock="requirements.lock"
  if [ -n "$extras" ]; then lock="requirements-dev.lock"; fi
  local stamp=".venv/.installed${extras}"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || { [ -f "$lock" ] && [ "$lock" -nt "$stamp" ]; }; then
    echo "== installing Reunite${extras:+ with $extras}"
    # This machine's pip configuration names optional local mirrors; their absence is noise.
    .venv/bin/python -m pip install --quiet --upgrade pip 2>&1 | { grep -v "^WARNING: Location" || true; }
    if [ -f "$lock" ] && _pip_quiet install --require-hashes -r "$lock"; then
      _pip_quiet install --no-deps -e ".${extras}"
    else
      if [ -f "$lock" ]; then
        echo "!! $lock did not install here (another Python or platform?): resolving the" >&2
        echo "!! dependencies from pyproject.toml instead; versions may differ from the lock." >&2
      fi
      _pip_quiet install -e ".${extras}"
    fi
    touch "$stamp"
  fi
}

_pip_quiet() {
  .venv/bin/python -m pip "$@" --quiet 2>&1 | { grep -v "^WARNING: Location" || true; }
  return "${PIPESTATUS[0]}"
}
