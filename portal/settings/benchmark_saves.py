"""gunicorn's settings under `manage.py benchmark_saves`: production's (DEBUG off) over plain
HTTP on 127.0.0.1, plus the bare view's URL (portal.urls_benchmark). The command passes its
SECRET_KEY and DATABASE_URL: it wrote the sessions this server reads."""

import os

os.environ["DEBUG"] = "false"
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")  # wrk speaks plain HTTP to 127.0.0.1
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")

from .base import *  # noqa: F403
from .base import STORAGES

ROOT_URLCONF = "portal.urls_benchmark"
SECURE_HSTS_SECONDS = 0
# A refused save re-renders the form: without collectstatic's manifest that would be a 500.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
