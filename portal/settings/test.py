"""Test settings: fast hashing, mail kept in memory, plain static storage."""

import os
import tempfile

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret")
os.environ.setdefault("ALLOWED_HOSTS", "*")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")

from .base import *  # noqa: F403
from .base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_RESET_BY_EMAIL = True  # mail stays in memory; the refusal is tested with it off
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
SECURE_HSTS_SECONDS = 0
# Serve static files straight from the source folders: no collectstatic before tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Uploaded documents of test runs go to a throwaway folder, not the demo's var/media.
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
# client.login() authenticates without a request, which django-axes refuses; the throttling
# itself is tested with it switched on (tests/portal/test_auth_pages.py).
AXES_ENABLED = False
