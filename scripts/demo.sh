#!/usr/bin/env bash
# Starts the portal with demo data on SQLite (no database server needed).
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
export DEBUG=true DJANGO_SETTINGS_MODULE=portal.settings.demo
PORT="${PORT:-8000}"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py setup_demo
echo
echo "Cổng theo dõi kế hoạch giáo dục: http://127.0.0.1:${PORT}/  (quản trị: http://127.0.0.1:${PORT}/quan-tri/)"
echo
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT}"
