# Sourced by the other scripts: a virtualenv in .venv with the project's pinned dependencies
# (requirements/base.txt, or requirements/dev.txt with "dev": exact versions with their hashes,
# compiled from pyproject.toml; the README says how to update them).
# Re-running is cheap: pip only installs when the lock file changed since the last install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
lock="requirements/${1:-base}.txt"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.installed-$(basename "$lock" .txt)"
if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet --require-hashes -r "$lock"
  touch "$stamp"
fi
