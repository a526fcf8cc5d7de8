#!/usr/bin/env bash
# Runs the whole suite: lint, migrations check, and pytest (browser tests included when Chromium
# is present; REQUIRE_BROWSER=1 makes a missing Chromium an error). DATABASE_URL picks the database
# (SQLite when unset). Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh" dev
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Cài Chromium (gói Debian) cho kiểm thử trình duyệt…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
export DJANGO_SETTINGS_MODULE=portal.settings.test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null
exec .venv/bin/python -m pytest --create-db "$@"
