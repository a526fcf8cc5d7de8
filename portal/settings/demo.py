"""The local demo: DEBUG on, SQLite under var/ unless DATABASE_URL says otherwise."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("PORTAL_DEMO", "true")

from .base import *  # noqa: F403
