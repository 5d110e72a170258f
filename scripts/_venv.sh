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
  local stamp=".venv/.installed${extras}"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "== installing Reunite${extras:+ with $extras}"
    # This machine's pip configuration names optional local mirrors; their absence is noise.
    .venv/bin/python -m pip install --quiet --upgrade pip 2>&1 | { grep -v "^WARNING: Location" || true; }
    .venv/bin/python -m pip install --quiet -e ".${extras}" 2>&1 | { grep -v "^WARNING: Location" || true; }
    touch "$stamp"
  fi
}
