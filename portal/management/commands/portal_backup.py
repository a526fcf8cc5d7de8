"""Back up or restore the whole portal: the database as JSON (every app's rows and their history,
natural keys for content types and permissions, so it loads into any empty database of the same
schema, SQLite or PostgreSQL) and the uploaded files as a tar archive, read from and written back
to the default storage (a folder or an S3 bucket, portal/settings/storage.py) through its API.

    manage.py portal_backup DIR            # writes DIR/du-lieu.json.gz and DIR/tep.tar.gz
    manage.py portal_backup --restore DIR  # into a migrated, empty database

On PostgreSQL, pg_dump of the database plus a copy of the files is the faster nightly backup
(README "Backup"); this command is the portable one, and the one the tests restore."""

from __future__ import annotations

import gzip
import io
import posixpath
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import Storage, default_storage
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
        with tarfile.open(folder / FILES, "w:gz") as archive:
            for name in stored_files(default_storage):
                info = tarfile.TarInfo(name)
                info.size, info.mtime = default_storage.size(name), int(time.time())
                with default_storage.open(name, "rb") as handle:
                    archive.addfile(info, handle)
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
            with tarfile.open(files, "r:gz") as archive:
                for member in archive:
                    name = archived_name(member)
                    if name is None:
                        continue
                    if default_storage.exists(name):
                        default_storage.delete(name)  # the backup's copy wins; the names must not change
                    default_storage.save(name, File(archive.extractfile(member), name=name))
        self.stdout.write(f"Đã khôi phục từ {folder}.")


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file's name in the storage, folder by folder (listdir: a folder and an S3 bucket alike)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local storage whose folder was never created: no file yet
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for name in sorted(folders):
        yield from stored_files(storage, posixpath.join(folder, name) if folder else name)


def archived_name(member: tarfile.TarInfo) -> str | None:
    """The storage name of a regular file in the archive, or None for anything else (folders,
    links, and names that are absolute or climb out with ".."). Older backups start with "./"."""
    if not member.isfile():
        return None
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts:
        return None
    name = str(PurePosixPath(*[part for part in path.parts if part != "."]))
    return name if name != "." else None
