"""Back up or restore the whole portal: the database as JSON (every app's rows and their history,
natural keys for content types and permissions, so it loads into any empty database of the same
schema, SQLite or PostgreSQL) and the uploaded files (MEDIA_ROOT) as a tar archive.

    manage.py portal_backup DIR            # writes DIR/du-lieu.json.gz and DIR/tep.tar.gz
    manage.py portal_backup --restore DIR  # into a migrated, empty database

On PostgreSQL, pg_dump of the database plus a copy of MEDIA_ROOT is the faster nightly backup
(README "Backup"); this command is the portable one, and the one the tests restore."""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from plans.models import Plan
from portal.db import lift_statement_timeout

DATA, FILES = "du-lieu.json.gz", "tep.tar.gz"
# Rebuilt by migrate itself (content types, permissions) or worth nothing in a copy (sessions,
# login throttling records).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes"]


class Command(BaseCommand):
    help = "Sao lưu (hoặc khôi phục với --restore) cơ sở dữ liệu và các tệp đã tải lên."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="thư mục chứa bản sao lưu")
        parser.add_argument("--restore", action="store_true", help="khôi phục từ thư mục này vào cơ sở dữ liệu trống")

    def handle(self, directory, restore, **options):
        lift_statement_timeout()  # operator's long work, not a request
        folder = Path(directory)
        if restore:
            self._restore(folder)
        else:
            self._backup(folder)

    def _backup(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        out = io.StringIO()
        call_command(
            "dumpdata", "--natural-foreign", "--natural-primary", *[f"--exclude={e}" for e in EXCLUDED], stdout=out
        )
        with gzip.open(folder / DATA, "wt", encoding="utf-8") as data:
            data.write(out.getvalue())
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(folder / FILES, "w:gz") as archive:
            if media.exists():
                archive.add(media, arcname=".")
        self.stdout.write(f"Đã sao lưu vào {folder}: {DATA}, {FILES}")

    def _restore(self, folder: Path) -> None:
        data, files = folder / DATA, folder / FILES
        if not data.exists():
            raise CommandError(f"Không thấy {data}.")
        if Plan.objects.exists():
            raise CommandError("Cơ sở dữ liệu đã có kế hoạch: chỉ khôi phục vào cơ sở dữ liệu trống (đã migrate).")
        with transaction.atomic():
            call_command("loaddata", str(data), verbosity=0)  # loaddata reads .json.gz itself
        if files.exists():
            media = Path(settings.MEDIA_ROOT)
            media.mkdir(parents=True, exist_ok=True)
            with tarfile.open(files, "r:gz") as archive:
                archive.extractall(media, filter="data")  # no absolute paths or links out of MEDIA_ROOT
        self.stdout.write(f"Đã khôi phục từ {folder}.")
